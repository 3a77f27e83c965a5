package load_test

import (
	"strings"
	"testing"

	"orchcore.dev/contracts/config-schema/load"
)

const head = "version: 1\npools:\n  - id: a\n    model_id: m\n"

const poolFields = "admission_policy, capacity, capacity_tokens, device_mask, engine, engine_priority, fairness_policy, id, model_id"

// TestDiagnostics feeds broken snippets and compares each diagnostic, as
// printed, with the one written out here.
func TestDiagnostics(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"not a mapping", "- 1\n", []string{
			`c.yaml:1:1: (root): expected mapping, got list`,
		}},
		{"empty file", "", []string{
			`c.yaml:1:1: (root): expected mapping, got null`,
		}},
		{"missing pools", "version: 1\n", []string{
			`c.yaml:1:1: pools: missing required field "pools"; expected a list`,
		}},
		{"no pools", "version: 1\npools: []\n", []string{
			`c.yaml:2:8: pools: expected at least 1 item(s), got 0`,
		}},
		{"wrong version", "version: 3\npools: [{id: a, model_id: m}]\n", []string{
			`c.yaml:1:10: version: expected 1, got 3`,
		}},
		{"float capacity", head + "    capacity: 1.5\n", []string{
			`c.yaml:5:15: pools[0].capacity: expected integer, got number 1.5`,
		}},
		{"huge capacity", head + "    capacity: 99999999999999999999\n", []string{
			`c.yaml:5:15: pools[0].capacity: expected a value <= 9223372036854775807, got 100000000000000000000`,
		}},
		{"not a number", head + "    capacity: .nan\n", []string{
			`c.yaml:5:15: pools[0].capacity: .nan is not a finite number; expected a number`,
		}},
		{"bad fairness", head + "    fairness_policy: fifo\n", []string{
			`c.yaml:5:22: pools[0].fairness_policy: expected one of "weighted", "weighted-tokens", "strict", got "fifo"`,
		}},
		{"negative device", head + "    device_mask: [0, -1]\n", []string{
			`c.yaml:5:22: pools[0].device_mask[1]: expected a value >= 0, got -1`,
		}},
		{"repeated device", head + "    device_mask: [1, 1]\n", []string{
			`c.yaml:5:18: pools[0].device_mask: expected unique items, but items 0 and 1 are equal`,
		}},
		{"empty model", "version: 1\npools:\n  - id: a\n    model_id: \"\"\n", []string{
			`c.yaml:4:15: pools[0].model_id: expected a non-empty string`,
		}},
		{"bad pool id", "version: 1\npools:\n  - id: \"a b\"\n    model_id: m\n", []string{
			`c.yaml:3:9: pools[0].id: expected a name matching ^[A-Za-z0-9][A-Za-z0-9._-]*$, got "a b"`,
		}},
		{"duplicate key", head + "    model_id: n\n", []string{
			`c.yaml:5:5: pools[0].model_id: duplicate field "model_id"; expected each field once (first at line 4)`,
		}},
		{"unknown top-level field", head + "extra: true\n", []string{
			`c.yaml:5:1: extra: unknown field "extra"; expected one of: bounds, guardrails, placement, pools, priority_classes, quotas, replica_sets, retry, session_budget, version, watchdog`,
		}},
		{"key holding NUL", "version: 1\npools:\n  - id: a\n\"pools\\00\": 1\n", []string{
			`c.yaml:3:5: pools[0].model_id: missing required field "model_id"; expected a string`,
			`c.yaml:4:1: ["pools\x000"]: unknown field "pools\x000"; expected one of: bounds, guardrails, placement, pools, priority_classes, quotas, replica_sets, retry, session_budget, version, watchdog`,
		}},
		{"odd key", head + "\"my key\": 1\n", []string{
			`c.yaml:5:1: ["my key"]: unknown field "my key"; expected one of: bounds, guardrails, placement, pools, priority_classes, quotas, replica_sets, retry, session_budget, version, watchdog`,
		}},
		{"zero weight", head + "priority_classes:\n  - {name: x, rank: 1, weight: 0, capacity: 1}\n", []string{
			`c.yaml:6:32: priority_classes[0].weight: expected a value >= 1, got 0`,
		}},
		{"class missing capacity", head + "priority_classes:\n  - {name: x, rank: 1, weight: 1}\n", []string{
			`c.yaml:6:5: priority_classes[0].capacity: missing required field "capacity"; expected an integer`,
		}},
		{"duplicate rank", head + "priority_classes:\n  - {name: x, rank: 1, weight: 1, capacity: 1}\n  - {name: y, rank: 1, weight: 1, capacity: 1}\n", []string{
			`c.yaml:7:21: priority_classes[1].rank: duplicate rank 1 (also priority_classes[0]); expected unique ranks`,
		}},
		{"duplicate pool", head + "  - id: a\n    model_id: n\n", []string{
			`c.yaml:5:9: pools[1].id: duplicate pool id "a" (also pools[0]); expected unique ids`,
		}},
		{"duplicate tenant", head + "quotas:\n  - tenant: t\n  - tenant: t\n", []string{
			`c.yaml:7:13: quotas[1].tenant: duplicate quota for tenant "t" (also quotas[0]); expected one quota per tenant`,
		}},
		{"negative budget", head + "session_budget:\n  tokens: -1\n", []string{
			`c.yaml:6:11: session_budget.tokens: expected a value >= 0, got -1`,
		}},
		{"negative watchdog", head + "watchdog:\n  idle_timeout_ms: -10\n", []string{
			`c.yaml:6:20: watchdog.idle_timeout_ms: expected a value >= 0, got -10`,
		}},
		{"cap below base", head + "retry:\n  base_ms: 200\n  cap_ms: 100\n", []string{
			`c.yaml:7:11: retry.cap_ms: cap_ms 100 is below base_ms 200; expected cap_ms >= base_ms`,
		}},
		{"prefix guard below equal", head + "placement:\n  prefix: {block_tokens: 16, guard_permille: 999}\n", []string{
			`c.yaml:6:46: placement.prefix.guard_permille: guard_permille 999 is below 1000; expected 0 (the default, 1250) or at least 1000`,
		}},
		{"prefix without block size", head + "placement:\n  prefix: {load_weight: 2}\n", []string{
			`c.yaml:6:11: placement.prefix.block_tokens: missing required field "block_tokens"; expected an integer`,
		}},
		{"prefix weight too big", head + "placement:\n  prefix: {block_tokens: 16, prefix_weight: 1000001}\n", []string{
			`c.yaml:6:45: placement.prefix.prefix_weight: expected a value <= 1000000, got 1000001`,
		}},
		{"preemption without window", head + "placement:\n  preemption:\n    enabled: true\n    max_per_window: 2\n    window_ms: 0\n", []string{
			`c.yaml:9:16: placement.preemption.window_ms: window_ms 0 with preemption enabled; expected at least 1`,
		}},
		{"preemption without budget", head + "placement:\n  preemption: {enabled: true, window_ms: 100}\n", []string{
			`c.yaml:6:15: placement.preemption.max_per_window: max_per_window 0 with preemption enabled; expected at least 1`,
		}},
		{"negative preemption window", head + "placement:\n  preemption: {window_ms: -1}\n", []string{
			`c.yaml:6:27: placement.preemption.window_ms: expected a value >= 0, got -1`,
		}},
		{"string where mapping", head + "retry: fast\n", []string{
			`c.yaml:5:8: retry: expected mapping, got string "fast"`,
		}},
		{"null session budget", head + "session_budget:\n", []string{
			`c.yaml:5:16: session_budget: expected mapping, got null`,
		}},
		{"negative jitter seed", head + "retry:\n  jitter_seed: -1\n", []string{
			`c.yaml:6:16: retry.jitter_seed: expected a value >= 0, got -1`,
		}},
		{"two documents", head + "---\nversion: 1\n", []string{
			`c.yaml:5:1: (root): a second YAML document starts here; expected exactly one document`,
		}},
		{"unclosed quote", "version: 1\npools: 'a\n", []string{
			`c.yaml:2:1: (root): invalid YAML: found unexpected end of stream; expected a well-formed YAML or JSON document`,
		}},
		{"merge key", "base: &b {model_id: m}\n" + "version: 1\npools:\n  - <<: *b\n    id: a\n", []string{
			`c.yaml:1:1: base: unknown field "base"; expected one of: bounds, guardrails, placement, pools, priority_classes, quotas, replica_sets, retry, session_budget, version, watchdog`,
			`c.yaml:4:5: pools[0]: merge keys (<<) are not supported; expected plain fields`,
			`c.yaml:4:5: pools[0].model_id: missing required field "model_id"; expected a string`,
		}},
		{"alias cycle", head + "retry: &r {base_ms: *r}\n", []string{
			`c.yaml:5:21: retry.base_ms: alias refers to a value that contains it; expected a finite value`,
		}},
		{"json with two faults", "{\n  \"version\": 1,\n  \"pools\": [{\"id\": \"a\", \"model_id\": 7, \"capacity\": \"x\"}]\n}\n", []string{
			`c.yaml:3:37: pools[0].model_id: expected string, got number 7`,
			`c.yaml:3:52: pools[0].capacity: expected integer, got string "x"`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CONFIG-6003")
			cfg, diags, err := load.Parse("c.yaml", []byte(c.in), load.Strict)
			if err != nil {
				t.Fatal(err)
			}
			if cfg != nil {
				t.Error("got a config from invalid input")
			}
			got := make([]string, len(diags))
			for i, d := range diags {
				got[i] = d.String()
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestUnknownFieldsByMode: the same unknown field is an error in strict
// mode and a warning in compat mode, where the file still loads.
func TestUnknownFieldsByMode(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6001")
	in := []byte(head + "    gpus: 2\nfuture_section:\n  x: 1\n")
	cases := []struct {
		mode   load.Mode
		sev    load.Severity
		loaded bool
	}{
		{load.Strict, load.Error, false},
		{load.Compat, load.Warning, true},
	}
	for _, c := range cases {
		t.Run(c.mode.String(), func(t *testing.T) {
			t.Attr("req", "OC-CONFIG-6001")
			cfg, diags, err := load.Parse("c.yaml", in, c.mode)
			if err != nil {
				t.Fatal(err)
			}
			if (cfg != nil) != c.loaded {
				t.Errorf("config returned: %v, want %v", cfg != nil, c.loaded)
			}
			if len(diags) != 2 {
				t.Fatalf("got %d diagnostics, want 2: %v", len(diags), diags)
			}
			wantPaths := []string{"pools[0].gpus", "future_section"}
			wantLines := []int{5, 6}
			for i, d := range diags {
				if d.Severity != c.sev || d.Path != wantPaths[i] || d.Line != wantLines[i] {
					t.Errorf("diagnostic %d = %s (severity %v), want %s at line %d with severity %v",
						i, d, d.Severity, wantPaths[i], wantLines[i], c.sev)
				}
			}
			if c.loaded && (len(cfg.Pools) != 1 || cfg.Pools[0].ModelID != "m") {
				t.Errorf("compat load lost known fields: %+v", cfg.Pools)
			}
		})
	}
}

// TestCompatKeepsOtherErrors: compat mode relaxes unknown fields only.
func TestCompatKeepsOtherErrors(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6001")
	cfg, diags, _ := load.Parse("c.yaml", []byte(head+"    capacity: -1\n    gpus: 2\n"), load.Compat)
	if cfg != nil || !load.HasErrors(diags) {
		t.Fatalf("negative capacity passed in compat mode: %v", diags)
	}
	want := []load.Severity{load.Error, load.Warning}
	for i, d := range diags {
		if i >= len(want) || d.Severity != want[i] {
			t.Errorf("diagnostic %d: %s severity %v", i, d, d.Severity)
		}
	}
}

// TestCompatIgnoresLookAlikes: an unknown field that differs from a known
// one only in case is reported and ignored, never read into the config.
func TestCompatIgnoresLookAlikes(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6001")
	in := []byte("version: 1\npools:\n  - id: a\n    MODEL_ID: evil\n    model_id: m\n    Capacity: 5\n")
	cfg, diags, _ := load.Parse("c.yaml", in, load.Compat)
	if cfg == nil {
		t.Fatalf("compat refused the file: %v", diags)
	}
	if p := cfg.Pools[0]; p.ModelID != "m" || p.Capacity != 0 {
		t.Errorf("pool = %+v; want model_id m and no capacity", p)
	}
	if len(diags) != 2 || diags[0].Path != "pools[0].MODEL_ID" || diags[1].Path != "pools[0].Capacity" {
		t.Errorf("diagnostics = %v; want warnings for MODEL_ID and Capacity", diags)
	}
}

func TestParsedValues(t *testing.T) {
	in := []byte(head + "    admission_policy: drop-lru\n    device_mask: [0, 1]\n" +
		"retry: {base_ms: 10, cap_ms: 10, jitter_seed: 18446744073709551615}\nplacement: {allow_pin: true}\n")
	cfg, diags, err := load.Parse("c.yaml", in, load.Strict)
	if err != nil || cfg == nil {
		t.Fatalf("%v %v", err, diags)
	}
	p := cfg.Pools[0]
	if p.ID != "a" || p.ModelID != "m" || p.Admission != "drop-lru" || len(p.DeviceMask) != 2 || p.DeviceMask[1] != 1 {
		t.Errorf("pool = %+v", p)
	}
	if cfg.Retry.JitterSeed != 18446744073709551615 || cfg.Retry.CapMs != 10 || !cfg.Placement.AllowPin {
		t.Errorf("retry = %+v, placement = %+v", cfg.Retry, cfg.Placement)
	}
}

func TestAliasesExpand(t *testing.T) {
	in := []byte("version: 1\npools:\n  - &p {id: a, model_id: m, device_mask: &d [0]}\n  - {id: b, model_id: m, device_mask: *d}\n")
	cfg, diags, _ := load.Parse("c.yaml", in, load.Strict)
	if cfg == nil {
		t.Fatalf("%v", diags)
	}
	if got := cfg.Pools[1].DeviceMask; len(got) != 1 || got[0] != 0 {
		t.Errorf("aliased device mask = %v, want [0]", got)
	}
}

func TestAliasBombRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\npools: [{id: a, model_id: m}]\nx0: &x0 [1,1,1,1,1,1,1,1,1,1]\n")
	for i := 1; i < 8; i++ {
		prev := "*x" + string(rune('0'+i-1))
		b.WriteString("x" + string(rune('0'+i)) + ": &x" + string(rune('0'+i)) + " [" + strings.Repeat(prev+",", 9) + prev + "]\n")
	}
	_, diags, err := load.Parse("c.yaml", []byte(b.String()), load.Strict)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range diags {
		found = found || strings.Contains(d.Message, "document too large")
	}
	if !found {
		t.Errorf("alias bomb not refused: %v", diags)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, _, err := load.File("testdata/does-not-exist.yaml", load.Strict)
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.yaml") {
		t.Errorf("err = %v, want an error naming the file", err)
	}
}
