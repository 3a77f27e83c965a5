package engines

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// volatile are default_generation_settings fields that describe the
// slot's state, not how it samples.
var volatile = map[string]bool{"id": true, "id_task": true, "is_processing": true, "prompt": true, "next_token": true}

// identityKeys are warned about on their own, not as sampler defaults.
var identityKeys = map[string]bool{"engine_version": true, "model_digest": true, "sampler_profile_version": true}

// Settings flattens /props' default_generation_settings (llama.cpp: every
// sampler default) to "path": JSON value, skipping the slot's state.
func Settings(props map[string]any) map[string]string {
	out := map[string]string{}
	dgs, ok := props["default_generation_settings"].(map[string]any)
	if !ok {
		return out
	}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if prefix == "default_generation_settings." && volatile[k] || identityKeys[k] {
				continue
			}
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			b, _ := json.Marshal(v)
			out[prefix+k] = string(b)
		}
	}
	walk("default_generation_settings.", dgs)
	return out
}

// diff lists "field: a vs b" for each setting that differs, by name.
func diff(a, b map[string]string) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		if a[k] != b[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for i, k := range names {
		names[i] = fmt.Sprintf("%s: %s vs %s", k, show(a[k]), show(b[k]))
	}
	return names
}

func show(v string) string {
	if v == "" {
		return "(absent)"
	}
	return v
}

// identityWarnings compares each replica with replica 0: engine version,
// model and every sampler default.
func identityWarnings(es []transcript.Engine, props []map[string]any) []string {
	var out []string
	if len(es) == 0 || props[0] == nil {
		return nil
	}
	base := Settings(props[0])
	for i := 1; i < len(es); i++ {
		if props[i] == nil {
			continue
		}
		who := fmt.Sprintf("replica %d (%s) and replica 0 (%s)", i, es[i].URL, es[0].URL)
		if es[i].Version != es[0].Version {
			out = append(out, fmt.Sprintf("%s report different engine_version: %s vs %s; they are not one replica set", who, show(es[i].Version), show(es[0].Version)))
		}
		if es[i].Model != es[0].Model {
			out = append(out, fmt.Sprintf("%s report different model: %s vs %s; they are not one replica set", who, show(es[i].Model), show(es[0].Model)))
		}
		for _, d := range diff(Settings(props[i]), base) {
			out = append(out, fmt.Sprintf("%s differ in sampler default %s", who, d))
		}
	}
	return out
}

// Compare checks the engines of a replay against the recording's: the
// same version, model and sampler defaults, replica by replica.
func Compare(recorded, now []transcript.Engine, props []map[string]any) []string {
	var out []string
	for i := 0; i < len(recorded) && i < len(now); i++ {
		r, n := recorded[i], now[i]
		who := fmt.Sprintf("replica %d (%s) differs from the recording's replica %d (%s)", i, n.URL, i, r.URL)
		if r.Version != n.Version {
			out = append(out, fmt.Sprintf("%s in engine version: recorded %s, now %s", who, show(r.Version), show(n.Version)))
		}
		if r.Model != n.Model {
			out = append(out, fmt.Sprintf("%s in model: recorded %s, now %s", who, show(r.Model), show(n.Model)))
		}
		if len(r.Props) == 0 || props[i] == nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(r.Props))
		dec.UseNumber()
		var rp map[string]any
		if dec.Decode(&rp) != nil {
			continue
		}
		for _, d := range diff(Settings(rp), Settings(props[i])) {
			out = append(out, fmt.Sprintf("%s in sampler default %s (recorded vs now)", who, strings.TrimSpace(d)))
		}
	}
	return out
}
