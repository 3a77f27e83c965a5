package scheduling_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

func place(t *testing.T, pl *scheduling.Placer, req scheduling.Request, snap scheduling.Snapshot) scheduling.Decision {
	t.Helper()
	d, err := pl.Place(&req, snap)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	return d
}

func TestOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1012")
	t.Attr("req", "OC-CORE-1017")
	mk := func(id string, vram int64, slots int) scheduling.Replica {
		r := good(id, "p")
		r.FreeVRAMMB, r.ActiveSlots = vram, slots
		return r
	}
	cases := []struct {
		name string
		reps []scheduling.Replica
		want string
	}{
		{"most free vram", []scheduling.Replica{mk("a", 1000, 0), mk("b", 3000, 3), mk("c", 2000, 0)}, "b"},
		{"then fewest slots", []scheduling.Replica{mk("a", 3000, 2), mk("b", 3000, 1), mk("c", 3000, 3)}, "b"},
		{"then lowest id", []scheduling.Replica{mk("c", 3000, 1), mk("a", 3000, 1), mk("b", 3000, 1)}, "a"},
		{"ids compare as strings", []scheduling.Replica{mk("r10", 1, 1), mk("r9", 1, 1)}, "r10"},
		{"infeasible best is skipped", []scheduling.Replica{mk("a", 9000, 4), mk("b", 10, 3)}, "b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1017")
			d := place(t, &scheduling.Placer{}, base(), scheduling.Snapshot{Pools: pools("p"), Replicas: c.reps})
			if !d.Assigned || d.ReplicaID != c.want || c.reps[d.Index].ID != c.want {
				t.Fatalf("chose %q (index %d), want %q", d.ReplicaID, d.Index, c.want)
			}
		})
	}
}

// The no-placement reason is the latest pipeline stage that removed a
// candidate; POOL_UNREADY when no candidate exists.
func TestNoPlacementReason(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	notReady := func(id string) scheduling.Replica { r := good(id, "p"); r.Ready = false; return r }
	busy := func(id string) scheduling.Replica { r := good(id, "p"); r.ActiveSlots = r.SlotsTotal; return r }
	wrongEngine := func(id string) scheduling.Replica { r := good(id, "p"); r.Engine = "x"; return r }
	shortCtx := func(id string) scheduling.Replica { r := good(id, "p"); r.CtxMaxSupported = 1; return r }
	cases := []struct {
		name     string
		reps     []scheduling.Replica
		want     string
		filtered []observe.ReasonCount
	}{
		{"no candidates", nil, "POOL_UNREADY", nil},
		{"none ready", []scheduling.Replica{notReady("a"), notReady("b")}, "POOL_UNREADY",
			[]observe.ReasonCount{{Reason: "POOL_UNREADY", Count: 2}}},
		// three engine mismatches outnumber one busy replica, but the busy
		// one got furthest: the job waits for capacity.
		{"furthest stage wins over most frequent", []scheduling.Replica{wrongEngine("a"), wrongEngine("b"), wrongEngine("c"), busy("d")}, "NO_CAPACITY",
			[]observe.ReasonCount{{Reason: "ENGINE_MISMATCH", Count: 3}, {Reason: "NO_CAPACITY", Count: 1}}},
		{"order independent", []scheduling.Replica{busy("d"), shortCtx("c"), notReady("b")}, "NO_CAPACITY",
			[]observe.ReasonCount{{Reason: "INSUFFICIENT_CTX", Count: 1}, {Reason: "NO_CAPACITY", Count: 1}, {Reason: "POOL_UNREADY", Count: 1}}},
		{"ctx over engine", []scheduling.Replica{shortCtx("a"), wrongEngine("b"), notReady("c")}, "INSUFFICIENT_CTX",
			[]observe.ReasonCount{{Reason: "ENGINE_MISMATCH", Count: 1}, {Reason: "INSUFFICIENT_CTX", Count: 1}, {Reason: "POOL_UNREADY", Count: 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1042")
			d := place(t, &scheduling.Placer{}, base(), scheduling.Snapshot{Pools: pools("p"), Replicas: c.reps})
			if d.Assigned || d.Index != -1 || d.ReplicaID != "" {
				t.Fatalf("assigned %+v", d)
			}
			if d.Reason.String() != c.want {
				t.Fatalf("Reason = %s, want %s", d.Reason, c.want)
			}
			if d.CandidatesTotal != len(c.reps) || d.CandidatesFeasible != 0 {
				t.Fatalf("total %d feasible %d, want %d and 0", d.CandidatesTotal, d.CandidatesFeasible, len(c.reps))
			}
			if diff := cmp.Diff(c.filtered, d.Counts()); diff != "" {
				t.Fatalf("Counts (-want +got):\n%s", diff)
			}
			p := d.Placement()
			if p.CandidatesTotal != len(c.reps) || len(p.Filtered) != len(c.filtered) {
				t.Fatalf("Placement = %+v", p)
			}
		})
	}
}

func TestReasonForRule(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	var f [scheduling.NumReasons]int
	if got := scheduling.ReasonFor(f); got != scheduling.PoolUnready {
		t.Fatalf("empty counts: %v", got)
	}
	f[scheduling.DeviceMaskMismatch] = 5
	f[scheduling.ExtensionsUnsatisfied] = 1
	if got := scheduling.ReasonFor(f); got != scheduling.ExtensionsUnsatisfied {
		t.Fatalf("got %v, want EXTENSIONS_UNSATISFIED", got)
	}
}

func TestDeviceMaskNoSpillover(t *testing.T) {
	t.Attr("req", "OC-CORE-1011")
	// Pool a owns devices 0-1, pool b 2-3. A replica labeled pool a but
	// sitting on device 2 must not get pool a's job.
	ps := []scheduling.Pool{{ID: "a", DeviceMask: []int{0, 1}}, {ID: "b", DeviceMask: []int{2, 3}}}
	stray := good("stray", "a")
	stray.Devices, stray.FreeVRAMMB = []int{2}, 99999
	ok := good("ok", "a")
	ok.Devices = []int{0, 1}
	d := place(t, &scheduling.Placer{}, base(), scheduling.Snapshot{Pools: ps[:1], Replicas: []scheduling.Replica{stray, ok}})
	if d.ReplicaID != "ok" || d.Filtered[scheduling.DeviceMaskMismatch] != 1 {
		t.Fatalf("decision %+v", d)
	}
	// A replica of a pool not in scope is not a candidate.
	other := good("other", "b")
	other.Devices, other.FreeVRAMMB = []int{3}, 99999
	d = place(t, &scheduling.Placer{}, base(), scheduling.Snapshot{Pools: ps[:1], Replicas: []scheduling.Replica{other, ok}})
	if d.ReplicaID != "ok" || d.CandidatesTotal != 1 {
		t.Fatalf("decision %+v", d)
	}
}

func TestReplicaSetScope(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	a, b := good("a", "p"), good("b", "p")
	a.ReplicaSet, a.FreeVRAMMB = "s2", 99999
	req := base()
	req.ReplicaSet = "s1"
	d := place(t, &scheduling.Placer{}, req, scheduling.Snapshot{Pools: pools("p"), Replicas: []scheduling.Replica{a, b}})
	if d.ReplicaID != "b" || d.ReplicaSet != "s1" || d.CandidatesTotal != 1 {
		t.Fatalf("decision %+v", d)
	}
	b.Ready = false
	d = place(t, &scheduling.Placer{}, req, scheduling.Snapshot{Pools: pools("p"), Replicas: []scheduling.Replica{a, b}})
	if d.Assigned || d.Reason != scheduling.PoolUnready {
		t.Fatalf("crossed sets: %+v", d)
	}
}

func TestPin(t *testing.T) {
	ps := pools("p", "q")
	big := good("big", "q")
	big.FreeVRAMMB = 99999
	small := good("small", "p")
	snap := scheduling.Snapshot{Pools: ps, Replicas: []scheduling.Replica{big, small}}
	allow := &scheduling.Placer{Policy: scheduling.Policy{AllowPin: true}}

	t.Run("pinned pool only", func(t *testing.T) {
		t.Attr("req", "OC-CORE-1018")
		req := base()
		req.Pin = "p"
		d := place(t, allow, req, snap)
		if d.ReplicaID != "small" || !d.Pinned || d.CandidatesTotal != 1 {
			t.Fatalf("decision %+v", d)
		}
		req.Pin = ""
		if d := place(t, allow, req, snap); d.ReplicaID != "big" || d.Pinned {
			t.Fatalf("unpinned decision %+v", d)
		}
	})
	t.Run("pinned pool busy waits, no fallback", func(t *testing.T) {
		t.Attr("req", "OC-CORE-1018")
		s := scheduling.Snapshot{Pools: ps, Replicas: []scheduling.Replica{big, small}}
		s.Replicas[1].ActiveSlots = 4
		req := base()
		req.Pin = "p"
		d := place(t, allow, req, s)
		if d.Assigned || d.Reason != scheduling.NoCapacity {
			t.Fatalf("decision %+v", d)
		}
	})
	refusals := []struct {
		name, req string
		pl        *scheduling.Placer
		pin       string
		unready   bool
		code      string
	}{
		{"pinning disabled", "OC-CORE-1019", &scheduling.Placer{}, "p", false, "INVALID_PARAMS"},
		{"unknown pool", "OC-CORE-1019", allow, "nope", false, "INVALID_PARAMS"},
		{"no ready replica", "OC-CORE-1019", allow, "p", true, "POOL_UNREADY"},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", c.req)
			s := scheduling.Snapshot{Pools: ps, Replicas: []scheduling.Replica{big, small}}
			s.Replicas[1].Ready = !c.unready
			req := base()
			req.Pin = c.pin
			d, err := c.pl.Place(&req, s)
			var e *scheduling.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Pool != c.pin {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
			if !errors.Is(err, &scheduling.Error{Code: c.code}) || errors.Is(err, &scheduling.Error{Code: "OTHER"}) {
				t.Fatalf("errors.Is does not match on Code: %v", err)
			}
			if d.Assigned {
				t.Fatalf("silent fallback to %s", d.ReplicaID)
			}
		})
	}
}

func TestAffinity(t *testing.T) {
	t.Attr("req", "OC-CORE-1013")
	warm, roomy := good("warm", "p"), good("roomy", "p")
	roomy.FreeVRAMMB = 99999
	snap := scheduling.Snapshot{Pools: pools("p"), Replicas: []scheduling.Replica{roomy, warm}}
	aff := &scheduling.Affinity{}
	pl := &scheduling.Placer{Affinity: aff}
	req := base()
	req.SessionID = "s"

	d := place(t, pl, req, snap)
	if d.ReplicaID != "roomy" || d.KVWarmth || d.Moved {
		t.Fatalf("new session: %+v", d)
	}
	aff.Set("s", "warm")
	if got, ok := aff.Get("s"); !ok || got != "warm" || aff.Len() != 1 {
		t.Fatalf("Get = %q %v", got, ok)
	}
	d = place(t, pl, req, snap)
	if d.ReplicaID != "warm" || !d.KVWarmth || d.Moved {
		t.Fatalf("sticky session: %+v", d)
	}
	snap.Replicas[1].Ready = false
	d = place(t, pl, req, snap)
	if d.ReplicaID != "roomy" || d.KVWarmth || !d.Moved {
		t.Fatalf("moved session: %+v", d)
	}
	aff.Delete("s")
	if _, ok := aff.Get("s"); ok || aff.Len() != 0 {
		t.Fatal("Delete kept the session")
	}
}

// Replaying the same requests against the same snapshots, with the
// affinity table updated the same way, gives the same decisions.
func TestReplayIsIdentical(t *testing.T) {
	t.Attr("req", "OC-CORE-1033")
	run := func() []scheduling.Decision {
		aff := &scheduling.Affinity{}
		pl := &scheduling.Placer{Policy: scheduling.Policy{AllowPin: true}, Affinity: aff}
		snap := scheduling.Snapshot{Pools: pools("p")}
		for i := range 64 {
			r := good(fmt.Sprintf("r%02d", (i*37)%64), "p")
			r.Ready = i%9 != 4
			snap.Replicas = append(snap.Replicas, r)
		}
		var out []scheduling.Decision
		for i := range 200 {
			// the dispatcher's view changes between decisions
			r := &snap.Replicas[(i*13)%len(snap.Replicas)]
			r.ActiveSlots = (r.ActiveSlots + 1) % (r.SlotsTotal + 1)
			r.FreeVRAMMB = int64((i * 97) % 4096)
			req := base()
			req.SessionID = fmt.Sprintf("s%d", i%5)
			d, err := pl.Place(&req, snap)
			if err != nil {
				t.Fatal(err)
			}
			if d.Assigned {
				aff.Set(req.SessionID, d.ReplicaID)
			}
			out = append(out, d)
		}
		return out
	}
	first, second := run(), run()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Fatalf("replay diverged (-first +second):\n%s", diff)
	}
	warm := 0
	for _, d := range first {
		if d.KVWarmth {
			warm++
		}
	}
	if warm == 0 || warm == len(first) {
		t.Fatalf("replay exercised no affinity changes (%d warm of %d)", warm, len(first))
	}
}

// TestPlaceNilRequest: a nil request is refused with INVALID_PARAMS, not
// a panic.
func TestPlaceNilRequest(t *testing.T) {
	var pl scheduling.Placer
	d, err := pl.Place(nil, scheduling.Snapshot{Pools: pools("p"), Replicas: []scheduling.Replica{good("r1", "p")}})
	var e *scheduling.Error
	if !errors.As(err, &e) || e.Code != scheduling.CodeInvalidParams {
		t.Fatalf("Place(nil) error = %v, want INVALID_PARAMS", err)
	}
	if d.Assigned || d.Index != -1 {
		t.Fatalf("Place(nil) decision %+v, want nothing assigned", d)
	}
}

// TestStickyReplicaUnderTheGuard: under prefix scoring the session's
// last good replica is kept while feasible unless the imbalance guard
// finds it busier than the least-loaded feasible replica by more than
// both thresholds (here 1 slot and 1250 per mille); without blocks, or
// without prefix scoring, it is kept as OC-CORE-1013 says.
func TestStickyReplicaUnderTheGuard(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	t.Attr("req", "OC-CORE-1013")
	for _, c := range []struct {
		sticky, other int
		blocks        []uint64
		want          string
		guarded       bool
	}{
		{2, 0, []uint64{1}, "r2", true},   // 2-0 > 1 and 2000 > 0
		{1, 0, []uint64{1}, "r1", false},  // 1-0 is not above 1
		{5, 4, []uint64{1}, "r1", false},  // 1 slot above
		{6, 4, []uint64{1}, "r2", true},   // 2 > 1 and 6000 > 5000
		{10, 8, []uint64{1}, "r1", false}, // 2 > 1 but 10000 is not above 10000
		{6, 0, nil, "r1", false},          // no blocks: affinity as before
	} {
		idx := scheduling.NewPrefix(8, 8)
		idx.Learn("r1", []uint64{1})
		aff := &scheduling.Affinity{}
		aff.Set("s", "r1")
		pl := scheduling.Placer{Affinity: aff, Prefix: idx, Policy: scheduling.Policy{Prefix: scheduling.PrefixPolicy{
			Enabled: true, PrefixWeight: 1, LoadWeight: 4, GuardSlots: 1, GuardPermille: 1250}}}
		ready := func(id string) scheduling.Replica {
			return scheduling.Replica{ID: id, PoolID: "p", ModelID: "m", Ready: true, FreeVRAMMB: 100}
		}
		r1, r2 := ready("r1"), ready("r2")
		r1.SlotsTotal, r2.SlotsTotal = 16, 16
		r1.ActiveSlots, r2.ActiveSlots = c.sticky, c.other
		req := scheduling.Request{ModelID: "m", SessionID: "s", Blocks: c.blocks}
		d, err := pl.Place(&req, scheduling.Snapshot{Pools: []scheduling.Pool{{ID: "p"}}, Replicas: []scheduling.Replica{r1, r2}})
		if err != nil || d.ReplicaID != c.want || d.Guarded != c.guarded || d.Moved != c.guarded || d.KVWarmth == c.guarded {
			t.Errorf("sticky %d, other %d, blocks %v: %+v %v; want %s guarded=%v", c.sticky, c.other, c.blocks, d, err, c.want, c.guarded)
		}
	}
}
