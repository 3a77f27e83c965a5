package observe_test

// Tests that kill the mutants gremlins found alive (make mutation,
// docs/mutation.md): event names at and past the last kind, evicted_by on
// evictions only; and the documented absence of the "filtered" group.

import (
	"context"
	"log/slog"
	"testing"

	"orchcore.dev/orchestrator-core/observe"
)

// Fifteen kinds exist, Admitted (1) to Preempted (15); 0 and everything
// from 16 on are unknown, and naming them never panics.
func TestKindNamesAtTheBound(t *testing.T) {
	t.Attr("req", "OC-CORE-1040")
	cases := map[observe.Kind]string{
		0: "unknown", observe.Admitted: "admitted", observe.Preload: "preload", observe.Expired: "expired",
		observe.Preempted: "preempted", 16: "unknown", 17: "unknown", 255: "unknown",
	}
	for k, want := range cases {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

// evicted_by names the task an eviction made room for; a refusal evicted
// nothing and carries no such field.
func TestEvictedByOnlyOnDropped(t *testing.T) {
	t.Attr("req", "OC-CORE-1040")
	for k, want := range map[observe.Kind]bool{observe.Dropped: true, observe.Rejected: false} {
		e := full(k)
		e.EvictedBy = "t9"
		rs := records(t, slog.LevelDebug, e)
		if len(rs) != 1 {
			t.Fatalf("%v: %d records, want 1", k, len(rs))
		}
		v, ok := rs[0]["evicted_by"]
		if ok != want || (want && v != "t9") {
			t.Errorf("%v record: evicted_by = %v (present %v), want present %v", k, v, ok, want)
		}
		if rs[0]["policy"] == nil {
			t.Errorf("%v record has no policy", k)
		}
	}
}

// attrKeys is a handler that keeps the top-level attribute keys of each
// record as the logger passed them, before any handler drops empty groups.
type attrKeys struct{ keys *[][]string }

func (attrKeys) Enabled(context.Context, slog.Level) bool { return true }
func (h attrKeys) Handle(_ context.Context, r slog.Record) error {
	var ks []string
	r.Attrs(func(a slog.Attr) bool { ks = append(ks, a.Key); return true })
	*h.keys = append(*h.keys, ks)
	return nil
}
func (h attrKeys) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h attrKeys) WithGroup(string) slog.Handler      { return h }

// The "filtered" group is present exactly when some candidate was
// filtered: a placement with no filtered candidate passes no such
// attribute to the handler, not even an empty group. (The mutant
// len(p.Filtered) >= 0 survives this test and is listed as equivalent:
// slog's Record.AddAttrs drops an empty group before any handler sees it.)
func TestFilteredGroupOnlyWhenSomethingWasFiltered(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	var keys [][]string
	lg := observe.NewLogger(slog.New(attrKeys{&keys}))
	none := full(observe.NoCapacity)
	none.Placement = &observe.Placement{CandidatesTotal: 2}
	lg.Observe(none)
	some := full(observe.NoCapacity)
	lg.Observe(some)
	if len(keys) != 2 {
		t.Fatalf("%d records, want 2", len(keys))
	}
	for i, want := range []bool{false, true} {
		has := false
		for _, k := range keys[i] {
			has = has || k == "filtered"
		}
		if has != want {
			t.Errorf("record %d: filtered present %v, want %v (keys %v)", i, has, want, keys[i])
		}
	}
}
