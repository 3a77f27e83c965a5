package engines

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// lookup finds a string field at the top of props or one object down
// (llama.cpp nests settings under default_generation_settings).
func lookup(props map[string]any, key string) string {
	if v, ok := props[key].(string); ok {
		return v
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names) // first match in a fixed order
	for _, k := range names {
		if m, ok := props[k].(map[string]any); ok {
			if v, ok := m[key].(string); ok {
				return v
			}
		}
	}
	return ""
}

// number finds a numeric or boolean field like lookup does.
func number(props map[string]any, key string) (any, bool) {
	if v, ok := props[key]; ok {
		return v, true
	}
	for _, v := range props {
		if m, ok := v.(map[string]any); ok {
			if w, ok := m[key]; ok {
				return w, true
			}
		}
	}
	return nil, false
}

// Warnings lists what the recorded engines say that may break determinism
// or replica-set membership.
func Warnings(es []transcript.Engine, props []map[string]any) []string {
	var out []string
	for i, p := range props {
		if p == nil {
			continue
		}
		if v, ok := number(p, "total_slots"); ok {
			if f, ok := toFloat(v); ok && f > 1 {
				out = append(out, fmt.Sprintf("replica %d (%s) reports total_slots=%g; determinism needs one slot (OC-TEST-7002)", i, es[i].URL, f))
			}
		}
		if v, ok := number(p, "cont_batching"); ok && v == true {
			out = append(out, fmt.Sprintf("replica %d (%s) reports cont_batching=true; determinism needs it off (OC-TEST-7002)", i, es[i].URL))
		}
	}
	out = append(out, identityWarnings(es, props)...)
	for _, key := range []string{"sampler_profile_version"} {
		seen := map[string]bool{}
		var vals []string
		for _, p := range props {
			if v := lookup(p, key); v != "" && !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
		if len(vals) > 1 {
			out = append(out, fmt.Sprintf("replicas report different %s (%s): they are not one replica set", key, strings.Join(vals, ", ")))
		}
	}
	return out
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}
