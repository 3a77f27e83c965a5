package scheduling_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// Tests that kill mutants gremlins found alive (make mutation,
// docs/mutation.md).

// A session's last good replica whose id turns out repeated later in the
// snapshot is invalid like every entry carrying that id: the session
// moves to the best valid replica, never stays on the invalid one, even
// when that replica was not the running best.
func TestStickyReplicaRepeatedLaterIsNotKept(t *testing.T) {
	t.Attr("req", "OC-CORE-1013")
	t.Attr("req", "OC-CORE-1017")
	aff := scheduling.NewAffinity(8)
	aff.Set("s", "b")
	p := scheduling.Placer{Affinity: aff}
	a, b := good("a", "p1"), good("b", "p1")
	a.FreeVRAMMB = 9000 // a is the best, b only the sticky one
	req := base()
	req.SessionID = "s"
	snap := scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{a, b, b}}
	d, err := p.Place(&req, snap)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Assigned || d.ReplicaID != "a" || d.Index != 0 || d.KVWarmth || !d.Moved {
		t.Fatalf("decision %+v; want a (index 0), kv_warmth false, moved", d)
	}
	if d.Filtered[scheduling.ReplicaInvalid] != 2 || d.CandidatesFeasible != 1 {
		t.Fatalf("invalid %d, feasible %d; want 2 and 1", d.Filtered[scheduling.ReplicaInvalid], d.CandidatesFeasible)
	}
}

// ReasonFor names a filtering stage, never NoReason: a count at the
// NoReason index (no filter removes a candidate for "no reason") is not
// a stage, so counts holding only that give PoolUnready, the reason for
// "no candidate".
func TestReasonForNeverNoReason(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	var f [scheduling.NumReasons]int
	f[scheduling.NoReason] = 3
	if r := scheduling.ReasonFor(f); r != scheduling.PoolUnready {
		t.Fatalf("ReasonFor(only NoReason counted) = %v, want PoolUnready", r)
	}
	f[scheduling.ReplicaInvalid] = 1
	if r := scheduling.ReasonFor(f); r != scheduling.ReplicaInvalid {
		t.Fatalf("ReasonFor = %v, want ReplicaInvalid", r)
	}
}

// decide runs one decision for the tests of this file.
func decide(t *testing.T, p *scheduling.Placer, req scheduling.Request, snap scheduling.Snapshot) scheduling.Decision {
	t.Helper()
	d, err := p.Place(&req, snap)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// When the running best turns out repeated, the choice is made again
// over the valid replicas only: the best of them by the documented order
// (free VRAM first), also when it is the first entry, and a session stays
// on its last good replica if that one is valid.
func TestChooseAgainAfterRepeatedBest(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	t.Attr("req", "OC-CORE-1013")
	a, b, c := good("a", "p1"), good("b", "p1"), good("c", "p1")
	a.FreeVRAMMB, c.FreeVRAMMB, b.FreeVRAMMB = 9000, 8500, 8000
	snap := scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{c, a, b, a}}

	d := decide(t, &scheduling.Placer{}, base(), snap)
	if !d.Assigned || d.ReplicaID != "c" || d.Index != 0 {
		t.Fatalf("no session: %+v; want c at index 0 (a is repeated, c has more VRAM than b)", d)
	}

	aff := scheduling.NewAffinity(8)
	aff.Set("s", "b")
	req := base()
	req.SessionID = "s"
	d = decide(t, &scheduling.Placer{Affinity: aff}, req, snap)
	if !d.Assigned || d.ReplicaID != "b" || d.Index != 2 || !d.KVWarmth || d.Moved {
		t.Fatalf("session on b: %+v; want b at index 2 with kv_warmth, not moved", d)
	}
}

// A snapshot that lists no pool has no candidate: nothing is placed and
// the reason is PoolUnready (no panic on the empty pool list).
func TestNoPoolsNoCandidate(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	snap := scheduling.Snapshot{Replicas: []scheduling.Replica{good("a", "p1")}}
	d := decide(t, &scheduling.Placer{}, base(), snap)
	if d.Assigned || d.CandidatesTotal != 0 || d.Reason != scheduling.PoolUnready {
		t.Fatalf("%+v; want nothing assigned, 0 candidates, PoolUnready", d)
	}
}

// The first Reason value past the table reads as UNKNOWN, like any other
// out-of-range value, and the last one has its code.
func TestReasonStringPastTheEnd(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	if s := scheduling.Reason(scheduling.NumReasons).String(); s != "UNKNOWN" {
		t.Fatalf("Reason(NumReasons) = %q, want UNKNOWN", s)
	}
	if s := scheduling.NoCapacity.String(); s != scheduling.CodeNoCapacity {
		t.Fatalf("NoCapacity = %q, want %q", s, scheduling.CodeNoCapacity)
	}
}

// A supported context of 0 is a count like any other, not a negative
// one: the replica is valid, and feasible for a request that states no
// context.
func TestZeroCtxSupportedIsValid(t *testing.T) {
	t.Attr("req", "OC-CORE-1016")
	r := good("a", "p1")
	r.CtxMaxSupported = 0
	req := base()
	req.CtxMax = scheduling.Opt[int]{}
	d := decide(t, &scheduling.Placer{}, req, scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{r}})
	if !d.Assigned || d.Filtered[scheduling.ReplicaInvalid] != 0 {
		t.Fatalf("%+v; want a assigned, nothing invalid", d)
	}
	req.CtxMax = scheduling.Some(1)
	d = decide(t, &scheduling.Placer{}, req, scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{r}})
	if d.Assigned || d.Reason != scheduling.InsufficientCtx {
		t.Fatalf("%+v; want refused with InsufficientCtx", d)
	}
}

// Repeats.Mark flags exactly the entries whose id another entry carries,
// the first entry (index 0) included, and stays right when a later call
// has a larger snapshot than any before (its memory grows) or a smaller one.
func TestRepeatsMarkExactly(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	ids := func(s ...string) []scheduling.Replica {
		var rs []scheduling.Replica
		for _, id := range s {
			rs = append(rs, scheduling.Replica{ID: id})
		}
		return rs
	}
	cases := []struct {
		ids  []string
		want string
	}{
		{[]string{"a", "b"}, ".."},
		{[]string{"a", "b", "a"}, "x.x"},
		{[]string{"r-1", "r-2", "r-3", "r-2", "r-4", "r-1", "r-1", "r-5"}, "xx.x.xx."},
		{[]string{"a"}, "."},
		{[]string{"", ""}, "xx"},
	}
	var m scheduling.Repeats
	for _, c := range cases {
		got := m.Mark(ids(c.ids...))
		s := ""
		for _, d := range got {
			if d {
				s += "x"
			} else {
				s += "."
			}
		}
		if s != c.want {
			t.Fatalf("Mark(%q) = %s, want %s", c.ids, s, c.want)
		}
	}
}
