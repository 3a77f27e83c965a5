package load_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"
	"pgregory.net/rapid"

	"orchcore.dev/contracts/config-schema/config"
	"orchcore.dev/contracts/config-schema/load"
)

// genConfig draws a configuration that obeys every rule: unique class names
// and ranks, unique pool ids, replica sets naming defined pools, cap >= base.
func genConfig(t *rapid.T) *config.Config {
	c := &config.Config{Version: 1}
	name := rapid.StringMatching(`[a-z][a-z0-9-]{0,8}`)
	nClasses := rapid.IntRange(0, 4).Draw(t, "classes")
	names := rapid.SliceOfNDistinct(name, nClasses, nClasses, rapid.ID[string]).Draw(t, "class names")
	ranks := rapid.SliceOfNDistinct(rapid.IntRange(0, 100), nClasses, nClasses, rapid.ID[int]).Draw(t, "ranks")
	for i := range nClasses {
		c.PriorityClasses = append(c.PriorityClasses, config.PriorityClass{
			Name: names[i], Rank: ranks[i],
			Weight:   rapid.IntRange(1, 100).Draw(t, "weight"),
			Capacity: rapid.IntRange(1, 1<<20).Draw(t, "capacity"),
		})
	}
	nPools := rapid.IntRange(1, 4).Draw(t, "pools")
	ids := rapid.SliceOfNDistinct(name, nPools, nPools, rapid.ID[string]).Draw(t, "pool ids")
	for _, id := range ids {
		c.Pools = append(c.Pools, config.Pool{
			ID:         id,
			ModelID:    rapid.StringMatching(`[a-z0-9./:-]{1,20}`).Draw(t, "model"),
			Engine:     rapid.SampledFrom([]string{"", "llamacpp", "vllm"}).Draw(t, "engine"),
			Capacity:   rapid.IntRange(0, 1<<20).Draw(t, "pool capacity"),
			Admission:  rapid.SampledFrom([]string{"", "reject", "drop-lru", "shed-low-priority"}).Draw(t, "admission"),
			Fairness:   rapid.SampledFrom([]string{"", "weighted", "weighted-tokens", "strict"}).Draw(t, "fairness"),
			DeviceMask: rapid.SliceOfDistinct(rapid.IntRange(0, 15), rapid.ID[int]).Draw(t, "mask"),
		})
	}
	nSets := rapid.IntRange(0, 4).Draw(t, "replica sets")
	setIDs := rapid.SliceOfNDistinct(name, nSets, nSets, rapid.ID[string]).Draw(t, "set ids")
	for _, id := range setIDs {
		c.ReplicaSets = append(c.ReplicaSets, config.ReplicaSet{
			ID: id, Pool: rapid.SampledFrom(ids).Draw(t, "set pool"), Engine: "llamacpp",
			EngineVersion:         rapid.StringMatching(`b[0-9]{1,4}`).Draw(t, "engine version"),
			SamplerProfileVersion: rapid.StringMatching(`sp-[0-9]`).Draw(t, "sampler version"),
			ModelDigest:           rapid.StringMatching(`sha256:[0-9a-f]{8}`).Draw(t, "digest"),
		})
	}
	nQuotas := rapid.IntRange(0, 3).Draw(t, "quotas")
	tenants := rapid.SliceOfNDistinct(rapid.StringMatching(`\*|[a-z]{1,6}`), nQuotas, nQuotas, rapid.ID[string]).Draw(t, "tenants")
	for _, tn := range tenants {
		c.Quotas = append(c.Quotas, config.Quota{Tenant: tn,
			MaxQueued: rapid.IntRange(0, 1000).Draw(t, "max queued"), MaxInFlight: rapid.IntRange(0, 100).Draw(t, "max in flight")})
	}
	if rapid.Bool().Draw(t, "session budget") {
		c.SessionBudget = &config.SessionBudget{
			Tokens: rapid.Int64Range(0, 1<<40).Draw(t, "tokens"), WallMs: rapid.Int64Range(0, 1<<40).Draw(t, "wall"),
			CostMicros: rapid.Int64Range(0, 1<<40).Draw(t, "cost"), CostPerTokenMicros: rapid.Int64Range(0, 1000).Draw(t, "per token"),
		}
	}
	c.Guardrails.MaxRequestTokens = rapid.IntRange(0, 1<<20).Draw(t, "max request tokens")
	c.Watchdog = config.Watchdog{WallTimeoutMs: rapid.Int64Range(0, 1<<30).Draw(t, "wall timeout"), IdleTimeoutMs: rapid.Int64Range(0, 1<<30).Draw(t, "idle timeout")}
	base := rapid.Int64Range(0, 1<<20).Draw(t, "base")
	c.Retry = config.Retry{BaseMs: base, CapMs: base + rapid.Int64Range(0, 1<<20).Draw(t, "cap above base"),
		MaxAttempts: rapid.IntRange(0, 10).Draw(t, "attempts"), JitterSeed: rapid.Uint64().Draw(t, "seed")}
	c.Placement.AllowPin = rapid.Bool().Draw(t, "allow pin")
	return c
}

// TestRoundTrip: any valid configuration, written as JSON or YAML from the
// Go types, passes the generated schema and reads back unchanged. This ties
// the schema to the types in both directions.
func TestRoundTrip(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6010")
	rapid.Check(t, func(t *rapid.T) {
		want := genConfig(t)
		js, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var generic any
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		if err := dec.Decode(&generic); err != nil {
			t.Fatal(err)
		}
		ys, err := yaml.Marshal(integers(generic))
		if err != nil {
			t.Fatal(err)
		}
		for format, data := range map[string][]byte{"json": js, "yaml": ys} {
			got, diags, err := load.Parse("gen."+format, data, load.Strict)
			if err != nil || len(diags) != 0 || got == nil {
				t.Fatalf("%s: valid config refused: %v %v\n%s", format, err, diags, data)
			}
			if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: read back differently (-want +got):\n%s", format, d)
			}
		}
	})
}

// TestNegativeRefused: setting any one number to a negative value is
// refused with a diagnostic at that field's path.
func TestNegativeRefused(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	fields := map[string]func(*config.Config){
		"pools[0].capacity":                    func(c *config.Config) { c.Pools[0].Capacity = -1 },
		"priority_classes[0].capacity":         func(c *config.Config) { c.PriorityClasses[0].Capacity = -1 },
		"priority_classes[0].rank":             func(c *config.Config) { c.PriorityClasses[0].Rank = -1 },
		"quotas[0].max_in_flight":              func(c *config.Config) { c.Quotas[0].MaxInFlight = -1 },
		"session_budget.wall_ms":               func(c *config.Config) { c.SessionBudget.WallMs = -1 },
		"guardrails.max_request_tokens":        func(c *config.Config) { c.Guardrails.MaxRequestTokens = -1 },
		"watchdog.wall_timeout_ms":             func(c *config.Config) { c.Watchdog.WallTimeoutMs = -1 },
		"retry.max_attempts":                   func(c *config.Config) { c.Retry.MaxAttempts = -1 },
		"pools[0].device_mask[0]":              func(c *config.Config) { c.Pools[0].DeviceMask = []int{-1} },
		"session_budget.cost_per_token_micros": func(c *config.Config) { c.SessionBudget.CostPerTokenMicros = -1 },
	}
	for path, set := range fields {
		t.Run(path, func(t *testing.T) {
			c := &config.Config{Version: 1,
				PriorityClasses: []config.PriorityClass{{Name: "a", Rank: 1, Weight: 1, Capacity: 1}},
				Pools:           []config.Pool{{ID: "p", ModelID: "m"}},
				Quotas:          []config.Quota{{Tenant: "*"}},
				SessionBudget:   &config.SessionBudget{},
			}
			set(c)
			js, _ := json.Marshal(c)
			got, diags, _ := load.Parse("n.json", js, load.Strict)
			min := "0"
			if path == "priority_classes[0].capacity" {
				min = "1"
			}
			want := "expected a value >= " + min + ", got -1"
			if got != nil || len(diags) != 1 || diags[0].Path != path || diags[0].Message != want {
				t.Errorf("diagnostics %v, want one at %s saying %q", diags, path, want)
			}
		})
	}
}

// integers turns the json.Numbers of a decoded document into Go integers,
// which yaml.v3 writes as plain YAML integers.
func integers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = integers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = integers(e)
		}
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(string(x), 10, 64); err == nil {
			return u
		}
	}
	return v
}
