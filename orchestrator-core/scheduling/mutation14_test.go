package scheduling_test

import (
	"fmt"
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// Tests that kill mutants gremlins found alive in the pass over issue 14's
// code (make mutation, docs/mutation.md).

// A limit of 1 block is a limit: prefix.max_blocks 1 refuses two blocks
// and accepts one (only a limit below 1 means none).
func TestCheckBlocksLimitOfOne(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	if got := scheduling.CheckBlocks([]uint64{1, 2}, 1); got != "more blocks than prefix.max_blocks" {
		t.Fatalf("CheckBlocks(2 blocks, 1) = %q, want the max_blocks refusal", got)
	}
	if got := scheduling.CheckBlocks([]uint64{7}, 1); got != "" {
		t.Fatalf("CheckBlocks(1 block, 1) = %q, want \"\"", got)
	}
	if got := scheduling.CheckBlocks([]uint64{1, 2}, 0); got != "" {
		t.Fatalf("CheckBlocks(2 blocks, 0) = %q, want \"\" (no limit)", got)
	}
}

// Match over more than 64 replicas, whose holder sets span several
// words of the index's bitsets: blocks held only by the replicas of one
// word, of another, or by all, looked up in every order of two, give
// each replica its longest held prefix, shortest first, then in the order
// the replicas were first learned. The expected hits come from a plain
// model: which blocks each replica was given.
func TestMatchAcrossManyReplicas(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	const n = 150 // slots 0..149: three 64-bit words
	const all, lo, mid, hi, odd = 1, 2, 3, 4, 5
	x := scheduling.NewPrefix(8, n)
	held := make([]map[uint64]bool, n)
	id := func(k int) string { return fmt.Sprintf("r%03d", k) }
	give := func(k int, b uint64) {
		x.Learn(id(k), []uint64{b})
		held[k][b] = true
	}
	for k := range n { // slots in this order
		held[k] = map[uint64]bool{}
		give(k, all)
	}
	for k := range n {
		switch {
		case k < 64:
			give(k, lo)
		case k < 128:
			give(k, mid)
		default:
			give(k, hi)
		}
		if k%2 == 1 {
			give(k, odd)
		}
	}
	for _, q := range [][]uint64{
		{all, lo}, {lo, all}, {all, mid}, {mid, all}, {all, hi}, {hi, all},
		{lo, hi}, {hi, lo}, {mid, hi}, {hi, mid}, {odd, hi}, {hi, odd}, {all, odd, mid},
	} {
		var want []scheduling.Hit
		for d := 1; d <= len(q); d++ { // shortest first, then by slot
			for k := range n {
				m := 0
				for m < len(q) && held[k][q[m]] {
					m++
				}
				if m == d {
					want = append(want, scheduling.Hit{Replica: id(k), Blocks: d})
				}
			}
		}
		if got := x.Match(q); !slices.Equal(got, want) {
			t.Fatalf("Match(%v): %d hits, want %d; first %v, want %v", q, len(got), len(want), head(got), head(want))
		}
	}
}

func head(h []scheduling.Hit) []scheduling.Hit { return h[:min(len(h), 3)] }

// Each saturation threshold gates on its own, the others off: a sample
// older than MaxSampleAgeMs, a queue deeper than MaxQueueDepth or a KV
// cache fuller than MaxKVPermille makes its replica SATURATED, and the
// other replica (within every threshold) is placed.
func TestEachSaturationThresholdAlone(t *testing.T) {
	t.Attr("req", "OC-CORE-1056")
	for _, c := range []struct {
		name string
		sat  scheduling.Saturation
		over func(*scheduling.Replica)
	}{
		{"max age", scheduling.Saturation{MaxSampleAgeMs: 1000}, func(r *scheduling.Replica) { r.SampleAgeMs = 1001 }},
		{"max queue depth", scheduling.Saturation{MaxQueueDepth: 4}, func(r *scheduling.Replica) { r.QueueDepth = 5 }},
		{"max kv", scheduling.Saturation{MaxKVPermille: 800}, func(r *scheduling.Replica) { r.KVPermille = 801 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := good("a", "p1"), good("b", "p1")
			a.FreeVRAMMB = 9000 // a would be placed if it were not saturated
			for _, r := range []*scheduling.Replica{&a, &b} {
				r.Sampled, r.SampleAgeMs, r.QueueDepth, r.KVPermille = true, 10, 1, 100
			}
			c.over(&a)
			p := scheduling.Placer{Policy: scheduling.Policy{Saturation: c.sat}}
			d := decide(t, &p, base(), scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{a, b}})
			if !d.Assigned || d.ReplicaID != "b" || d.Filtered[scheduling.Saturated] != 1 {
				t.Fatalf("decision %+v; want b, with a filtered SATURATED", d)
			}
		})
	}
}

// A required extension whose symbol is past the table's 64-bit feature
// mask (the 65th distinct feature of the snapshot) is still required: a
// replica that lacks it is EXTENSIONS_UNSATISFIED, even when it is the
// better one by the placement order, and one that lists it is placed.
func TestExtensionPastTheFeatureMask(t *testing.T) {
	t.Attr("req", "OC-CORE-1016")
	a, b := good("a", "p1"), good("b", "p1")
	a.Features = nil
	for i := range 64 {
		a.Features = append(a.Features, fmt.Sprintf("f%02d", i))
	}
	a.Features = append(a.Features, "x64") // symbol 64
	b.FreeVRAMMB = 9000                    // b would be placed if it qualified
	req := base()
	req.Streaming, req.Extensions = scheduling.Opt[bool]{}, []string{"x64"}
	var p scheduling.Placer
	d := decide(t, &p, req, scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{a, b}})
	if !d.Assigned || d.ReplicaID != "a" || d.Filtered[scheduling.ExtensionsUnsatisfied] != 1 {
		t.Fatalf("decision %+v; want a, with b filtered EXTENSIONS_UNSATISFIED", d)
	}
}

// A sample exactly at a threshold is not saturated (each is a maximum):
// age MaxSampleAgeMs, queue depth MaxQueueDepth, KV MaxKVPermille, so the
// better replica is placed.
func TestSaturationAtExactlyTheThreshold(t *testing.T) {
	t.Attr("req", "OC-CORE-1056")
	a, b := good("a", "p1"), good("b", "p1")
	a.FreeVRAMMB = 9000
	for _, r := range []*scheduling.Replica{&a, &b} {
		r.Sampled, r.SampleAgeMs, r.QueueDepth, r.KVPermille = true, 1000, 4, 800
	}
	sat := scheduling.Saturation{MaxSampleAgeMs: 1000, MaxQueueDepth: 4, MaxKVPermille: 800}
	p := scheduling.Placer{Policy: scheduling.Policy{Saturation: sat}}
	d := decide(t, &p, base(), scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{a, b}})
	if !d.Assigned || d.ReplicaID != "a" || d.Filtered[scheduling.Saturated] != 0 {
		t.Fatalf("decision %+v; want a, nothing SATURATED", d)
	}
}

// WithDefaults fills the zero fields of an enabled policy only, and
// keeps every field that is set; a disabled policy is returned as is.
func TestPrefixPolicyWithDefaults(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	if got := (scheduling.PrefixPolicy{}).WithDefaults(); got != (scheduling.PrefixPolicy{}) {
		t.Fatalf("disabled zero policy became %+v", got)
	}
	want := scheduling.PrefixPolicy{Enabled: true, MaxBlocks: 4096, BlocksPerReplica: 8192,
		PrefixWeight: 1, LoadWeight: 4, GuardSlots: 1, GuardPermille: 1250}
	if got := (scheduling.PrefixPolicy{Enabled: true}).WithDefaults(); got != want {
		t.Fatalf("enabled zero policy: %+v, want %+v", got, want)
	}
	set := scheduling.PrefixPolicy{Enabled: true, MaxBlocks: 7, BlocksPerReplica: 9,
		PrefixWeight: 2, LoadWeight: 3, GuardSlots: 5, GuardPermille: 2000}
	if got := set.WithDefaults(); got != set {
		t.Fatalf("set fields changed: %+v, want %+v", got, set)
	}
}

// Validate accepts zero fields and a guard permille of 0 (off) or from
// 1000, and refuses each negative field and a permille of 1 to 999.
func TestPrefixPolicyValidateEdges(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	ok := []scheduling.PrefixPolicy{
		{}, {Enabled: true}, {GuardPermille: 1000}, {GuardPermille: 1001},
	}
	for _, p := range ok {
		if err := p.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", p, err)
		}
	}
	bad := []scheduling.PrefixPolicy{
		{MaxBlocks: -1}, {BlocksPerReplica: -1}, {PrefixWeight: -1}, {LoadWeight: -1},
		{GuardSlots: -1}, {GuardPermille: -1}, {GuardPermille: 1}, {GuardPermille: 999},
	}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", p)
		}
	}
}

// prefixed places req with blocks on reps under pol, with an index in
// which each replica of held holds that many of the request's blocks.
func prefixed(t *testing.T, pol scheduling.PrefixPolicy, held map[string]int, reps ...scheduling.Replica) scheduling.Decision {
	t.Helper()
	blocks := []uint64{11, 12, 13, 14}
	x := scheduling.NewPrefix(16, 16)
	for _, r := range reps { // in snapshot order: the index's order is fixed
		if n := held[r.ID]; n > 0 {
			x.Learn(r.ID, blocks[:n])
		}
	}
	p := scheduling.Placer{Policy: scheduling.Policy{Prefix: pol}, Prefix: x}
	req := base()
	req.Blocks = blocks
	return decide(t, &p, req, scheduling.Snapshot{Pools: pools("p1"), Replicas: reps})
}

// Without a match the prefix score is the load alone: the least-loaded
// replica is placed, not the placement order's best; with LoadWeight 0
// no replica scores better than another, and the order's best is placed.
// The guard is off (GuardSlots 10) so that it does not decide instead.
func TestPrefixScoreWithoutAMatch(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	a, b := good("a", "p1"), good("b", "p1")
	a.FreeVRAMMB, a.ActiveSlots = 9000, 1 // the order's best
	b.FreeVRAMMB, b.ActiveSlots = 8000, 0 // the least loaded
	pol := scheduling.PrefixPolicy{Enabled: true, PrefixWeight: 1, LoadWeight: 4, GuardSlots: 10, GuardPermille: 1250}
	if d := prefixed(t, pol, nil, a, b); d.ReplicaID != "b" || d.MatchedBlocks != 0 || d.Guarded {
		t.Fatalf("load weight 4: %+v; want b (least loaded), no match, not guarded", d)
	}
	pol.LoadWeight = 0
	if d := prefixed(t, pol, nil, a, b); d.ReplicaID != "a" || d.MatchedBlocks != 0 || d.Guarded {
		t.Fatalf("load weight 0: %+v; want a (the order's best), no match, not guarded", d)
	}
}

// A match beats the least-loaded replica when its score is higher, also
// when every replica carries load: with weights 1 and 4, one matched
// block on 2 active slots scores 1-8 = -7, above the -8 of the least
// loaded (2 slots, no match, first in the order).
func TestPrefixMatchBeatsALoadedLeast(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	l, m := good("l", "p1"), good("m", "p1")
	l.FreeVRAMMB, l.ActiveSlots = 9000, 2
	m.FreeVRAMMB, m.ActiveSlots = 8000, 2
	pol := scheduling.PrefixPolicy{Enabled: true, PrefixWeight: 1, LoadWeight: 4, GuardSlots: 1, GuardPermille: 1250}
	d := prefixed(t, pol, map[string]int{"m": 1}, l, m)
	if d.ReplicaID != "m" || d.MatchedBlocks != 1 || !d.KVWarmth || d.Guarded {
		t.Fatalf("%+v; want m with 1 matched block, kv_warmth, not guarded", d)
	}
}

// A Placer reuses its compiled table across decisions; a value of an
// earlier snapshot means nothing in a later one. Both snapshots have more
// distinct model ids than the table compares one by one (so they are
// indexed), and a request for a model only the first one had finds no
// replica in the second: ENGINE_MISMATCH for all, none placed.
func TestEarlierSnapshotValuesAreForgotten(t *testing.T) {
	t.Attr("req", "OC-CORE-1016")
	snap := func(prefix string) scheduling.Snapshot {
		var rs []scheduling.Replica
		for i := range 12 {
			r := good(fmt.Sprintf("%s-r%d", prefix, i), "p1")
			r.ModelID = fmt.Sprintf("%s%d", prefix, i)
			rs = append(rs, r)
		}
		return scheduling.Snapshot{Pools: pools("p1"), Replicas: rs}
	}
	var p scheduling.Placer
	req := base()
	req.ModelID = "m3"
	if d := decide(t, &p, req, snap("m")); d.ReplicaID != "m-r3" {
		t.Fatalf("first snapshot: %+v; want m-r3", d)
	}
	d := decide(t, &p, req, snap("n"))
	if d.Assigned || d.Filtered[scheduling.EngineMismatch] != 12 {
		t.Fatalf("second snapshot: %+v; want none placed, 12 ENGINE_MISMATCH", d)
	}
}

// A sample at the edges of what an engine can report is a real sample,
// not an impossible one: age 0, queue depth 0 and KV 0 or exactly 1000
// per mille leave the replica placeable with no threshold set.
func TestSampleAtTheEdgesIsPossible(t *testing.T) {
	t.Attr("req", "OC-CORE-1056")
	for _, kv := range []int{0, 1000} {
		r := good("a", "p1")
		r.Sampled, r.SampleAgeMs, r.QueueDepth, r.KVPermille = true, 0, 0, kv
		var p scheduling.Placer
		d := decide(t, &p, base(), scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{r}})
		if !d.Assigned || d.Filtered[scheduling.Saturated] != 0 {
			t.Fatalf("kv %d: %+v; want a placed, nothing SATURATED", kv, d)
		}
	}
}

// Device 64, the first number past the table's device bit mask, is
// checked on the lists: outside the pool's mask [0..3] it is a
// DEVICE_MASK_MISMATCH, inside a mask that lists it the replica is placed.
func TestDevice64IsChecked(t *testing.T) {
	t.Attr("req", "OC-CORE-1011")
	r := good("a", "p1")
	r.Devices = []int{0, 64}
	var p scheduling.Placer
	d := decide(t, &p, base(), scheduling.Snapshot{Pools: pools("p1"), Replicas: []scheduling.Replica{r}})
	if d.Assigned || d.Filtered[scheduling.DeviceMaskMismatch] != 1 {
		t.Fatalf("mask [0..3]: %+v; want DEVICE_MASK_MISMATCH", d)
	}
	wide := []scheduling.Pool{{ID: "p1", DeviceMask: []int{0, 64}}}
	if d := decide(t, &p, base(), scheduling.Snapshot{Pools: wide, Replicas: []scheduling.Replica{r}}); !d.Assigned {
		t.Fatalf("mask [0, 64]: %+v; want a placed", d)
	}
}

// In a large snapshot a session finds its replica whichever it is (the
// replica is looked up by id in an open-addressing table, where some ids
// sit past their home slot): with 300 equal replicas, a session whose
// last good replica is the k-th stays there, for every k.
func TestStickyReplicaFoundInALargeSnapshot(t *testing.T) {
	t.Attr("req", "OC-CORE-1013")
	var rs []scheduling.Replica
	for k := range 300 {
		rs = append(rs, good(fmt.Sprintf("rep-%03d", k), "p1"))
	}
	snap := scheduling.Snapshot{Pools: pools("p1"), Replicas: rs}
	aff := scheduling.NewAffinity(8)
	p := scheduling.Placer{Affinity: aff}
	req := base()
	req.SessionID = "s"
	for k := range rs {
		aff.Set("s", rs[k].ID)
		if d := decide(t, &p, req, snap); d.ReplicaID != rs[k].ID || !d.KVWarmth || d.Moved {
			t.Fatalf("session on %s: %+v; want it kept there", rs[k].ID, d)
		}
	}
}

// A match with a lower score does not win by the placement order: one
// matched block on 1 active slot scores 1-4 = -3, below the 0 of the
// idle replica, so the idle one is placed although the other has more
// free VRAM (the order breaks equal scores only).
func TestLowerScoreLosesWhateverTheOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	l, m := good("l", "p1"), good("m", "p1")
	l.FreeVRAMMB, l.ActiveSlots = 8000, 0
	m.FreeVRAMMB, m.ActiveSlots = 9000, 1
	pol := scheduling.PrefixPolicy{Enabled: true, PrefixWeight: 1, LoadWeight: 4, GuardSlots: 1, GuardPermille: 1250}
	if d := prefixed(t, pol, map[string]int{"m": 1}, l, m); d.ReplicaID != "l" || d.Guarded {
		t.Fatalf("%+v; want l (score 0 above -3), not guarded", d)
	}
}
