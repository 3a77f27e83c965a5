package scheduling_test

import (
	"strings"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// Each case breaks exactly one property of an otherwise feasible replica
// and names the reason the pipeline must record.
func TestFilters(t *testing.T) {
	cases := []struct {
		name  string
		req   string
		edit  func(*scheduling.Request, *scheduling.Replica)
		want  scheduling.Reason
		code  string
		fresh bool // the edit leaves the replica feasible
	}{
		{"feasible", "OC-CORE-1016", func(*scheduling.Request, *scheduling.Replica) {}, scheduling.NoReason, "", true},
		{"not ready", "OC-CORE-1010", func(_ *scheduling.Request, r *scheduling.Replica) { r.Ready = false }, scheduling.PoolUnready, "POOL_UNREADY", false},
		{"device outside mask", "OC-CORE-1011", func(_ *scheduling.Request, r *scheduling.Replica) { r.Devices = []int{0, 7} }, scheduling.DeviceMaskMismatch, "DEVICE_MASK_MISMATCH", false},
		// A replica that reports no devices cannot be shown to be inside a mask.
		{"no devices is outside a mask", "OC-CORE-1011", func(_ *scheduling.Request, r *scheduling.Replica) { r.Devices = nil }, scheduling.DeviceMaskMismatch, "DEVICE_MASK_MISMATCH", false},
		{"empty mask allows no devices", "OC-CORE-1011", func(_ *scheduling.Request, r *scheduling.Replica) { r.Devices = nil }, scheduling.NoReason, "", true},
		{"empty mask allows any device", "OC-CORE-1011", func(_ *scheduling.Request, r *scheduling.Replica) { r.Devices = []int{99} }, scheduling.NoReason, "", true},
		{"engine differs", "OC-CORE-1016", func(_ *scheduling.Request, r *scheduling.Replica) { r.Engine = "vllm" }, scheduling.EngineMismatch, "ENGINE_MISMATCH", false},
		{"any engine", "OC-CORE-1016", func(q *scheduling.Request, r *scheduling.Replica) { q.Engine = ""; r.Engine = "vllm" }, scheduling.NoReason, "", true},
		{"model differs", "OC-CORE-1016", func(_ *scheduling.Request, r *scheduling.Replica) { r.ModelID = "qwen" }, scheduling.EngineMismatch, "ENGINE_MISMATCH", false},
		{"digest differs", "OC-CORE-1014", func(_ *scheduling.Request, r *scheduling.Replica) { r.ModelDigest = "sha256:bb" }, scheduling.EngineMismatch, "ENGINE_MISMATCH", false},
		{"digest absent constrains nothing", "OC-CORE-1014", func(q *scheduling.Request, r *scheduling.Replica) {
			q.ModelDigest = scheduling.Opt[string]{}
			r.ModelDigest = "sha256:bb"
		}, scheduling.NoReason, "", true},
		{"quant differs", "OC-CORE-1014", func(_ *scheduling.Request, r *scheduling.Replica) { r.Quant = "q8" }, scheduling.EngineMismatch, "ENGINE_MISMATCH", false},
		{"quant absent constrains nothing", "OC-CORE-1014", func(q *scheduling.Request, r *scheduling.Replica) {
			q.Quant = scheduling.Opt[string]{}
			r.Quant = "q8"
		}, scheduling.NoReason, "", true},
		{"ctx too short", "OC-CORE-1016", func(_ *scheduling.Request, r *scheduling.Replica) { r.CtxMaxSupported = 4095 }, scheduling.InsufficientCtx, "INSUFFICIENT_CTX", false},
		{"ctx exactly enough", "OC-CORE-1015", func(_ *scheduling.Request, r *scheduling.Replica) { r.CtxMaxSupported = 4096 }, scheduling.NoReason, "", true},
		{"extension missing", "OC-CORE-1016", func(_ *scheduling.Request, r *scheduling.Replica) { r.Features = []string{"streaming"} }, scheduling.ExtensionsUnsatisfied, "EXTENSIONS_UNSATISFIED", false},
		{"streaming missing", "OC-CORE-1014", func(_ *scheduling.Request, r *scheduling.Replica) { r.Features = []string{"tools"} }, scheduling.ExtensionsUnsatisfied, "EXTENSIONS_UNSATISFIED", false},
		{"streaming not required", "OC-CORE-1014", func(q *scheduling.Request, r *scheduling.Replica) {
			q.Streaming = scheduling.Some(false)
			r.Features = []string{"tools"}
		}, scheduling.NoReason, "", true},
		{"no free slot", "OC-CORE-1042", func(_ *scheduling.Request, r *scheduling.Replica) { r.ActiveSlots = 4 }, scheduling.NoCapacity, "NO_CAPACITY", false},
		{"zero slots", "OC-CORE-1042", func(_ *scheduling.Request, r *scheduling.Replica) { r.SlotsTotal = 0 }, scheduling.NoCapacity, "NO_CAPACITY", false},
		// A replica failing several checks is recorded at the first one.
		{"first failing stage wins", "OC-CORE-1042", func(_ *scheduling.Request, r *scheduling.Replica) {
			r.CtxMaxSupported = 1
			r.Engine = "vllm"
			r.ActiveSlots = 4
		}, scheduling.EngineMismatch, "ENGINE_MISMATCH", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", c.req)
			req, r := base(), good("r1", "p")
			c.edit(&req, &r)
			ps := pools("p")
			if strings.HasPrefix(c.name, "empty mask") {
				ps[0].DeviceMask = nil
			}
			var pl scheduling.Placer
			d, err := pl.Place(&req, scheduling.Snapshot{Pools: ps, Replicas: []scheduling.Replica{r}})
			if err != nil {
				t.Fatalf("Place: %v", err)
			}
			if d.Assigned != c.fresh {
				t.Fatalf("Assigned = %v, want %v (decision %+v)", d.Assigned, c.fresh, d)
			}
			if d.Reason != c.want || d.Reason.String() != c.code {
				t.Fatalf("Reason = %v (%q), want %v (%q)", d.Reason, d.Reason.String(), c.want, c.code)
			}
			if d.CandidatesTotal != 1 {
				t.Fatalf("CandidatesTotal = %d, want 1", d.CandidatesTotal)
			}
			if !c.fresh && (d.CandidatesFeasible != 0 || d.Filtered[c.want] != 1) {
				t.Fatalf("counts = feasible %d filtered %v, want 0 and 1 at %v", d.CandidatesFeasible, d.Filtered, c.want)
			}
		})
	}
}

func TestReasonCodes(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	want := map[scheduling.Reason]string{
		scheduling.ReplicaInvalid:        "REPLICA_INVALID",
		scheduling.PoolUnready:           "POOL_UNREADY",
		scheduling.DeviceMaskMismatch:    "DEVICE_MASK_MISMATCH",
		scheduling.EngineMismatch:        "ENGINE_MISMATCH",
		scheduling.InsufficientCtx:       "INSUFFICIENT_CTX",
		scheduling.ExtensionsUnsatisfied: "EXTENSIONS_UNSATISFIED",
		scheduling.NoCapacity:            "NO_CAPACITY",
		scheduling.Saturated:             "SATURATED",
	}
	if len(want) != scheduling.NumReasons-1 {
		t.Fatalf("NumReasons = %d, want %d", scheduling.NumReasons, len(want)+1)
	}
	for r, code := range want {
		if r.String() != code {
			t.Errorf("%d.String() = %q, want %q", r, r.String(), code)
		}
		if got, ok := scheduling.ParseReason(code); !ok || got != r {
			t.Errorf("ParseReason(%q) = %v, %v", code, got, ok)
		}
	}
	if _, ok := scheduling.ParseReason("NOPE"); ok {
		t.Error("ParseReason accepted an unknown code")
	}
}
