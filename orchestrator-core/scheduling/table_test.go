package scheduling

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// manyFeatures are more distinct feature names than a bit mask holds, so
// that some features get symbols past 64 and take the list path.
var manyFeatures = func() []string {
	fs := []string{"streaming", "tools", "grammar", ""}
	for i := range 80 {
		fs = append(fs, fmt.Sprintf("f%02d", i))
	}
	return fs
}()

func oneOf[V any](t *rapid.T, label string, vs ...V) V { return rapid.SampledFrom(vs).Draw(t, label) }

// often draws common most of the time and one of others otherwise.
func often[V any](t *rapid.T, label string, common V, others ...V) V {
	if rapid.IntRange(0, 9).Draw(t, label+".odd") > 0 {
		return common
	}
	return rapid.SampledFrom(others).Draw(t, label)
}

var (
	poolIDs = []string{"p", "q", "n", "x", ""}
	// devices include numbers past the bit masks and negative ones.
	deviceNums = []int{0, 1, 2, 3, 5, 63, 64, 65, 200, -1}
)

func genFeatures(t *rapid.T, label string) []string {
	switch rapid.IntRange(0, 5).Draw(t, label+".kind") {
	case 0: // wide: with a few of these a table has features past 64
		return rapid.SliceOfNDistinct(rapid.SampledFrom(manyFeatures), 40, 84, rapid.ID[string]).Draw(t, label)
	case 1: // one of any
		return []string{oneOf(t, label+".one", manyFeatures...)}
	case 2:
		return rapid.SliceOfN(rapid.SampledFrom(manyFeatures[:4]), 0, 4).Draw(t, label)
	}
	return []string{"streaming", "tools"}
}

func genPools(t *rapid.T) []Pool {
	n := rapid.IntRange(0, 4).Draw(t, "npools")
	ps := make([]Pool, n)
	for i := range ps {
		ps[i] = Pool{
			ID:         oneOf(t, "pool.id", poolIDs...),
			DeviceMask: often(t, "pool.mask", []int{0, 1, 64}, nil, []int{0}, []int{63, 200, -1}, []int{2, 3}),
		}
	}
	return ps
}

func genRep(t *rapid.T, ids []string) Replica {
	return Replica{
		ID:              oneOf(t, "id", ids...),
		PoolID:          often(t, "pool", "p", poolIDs...),
		ReplicaSet:      often(t, "set", "s1", "s2", ""),
		Engine:          often(t, "engine", "e1", "e2", ""),
		ModelID:         often(t, "model", "m1", "m2", ""),
		ModelDigest:     often(t, "digest", "d1", "d2", ""),
		Quant:           often(t, "quant", "q4", "q8", ""),
		Ready:           often(t, "ready", true, false),
		Devices:         often(t, "devices", []int{0}, nil, []int{1, 64}, []int{63}, []int{200}, []int{-1}, []int{2, 3}),
		FreeVRAMMB:      int64(often(t, "vram", 1000, 0, 2000, -1)),
		ActiveSlots:     often(t, "active", 0, 1, 2, -1),
		SlotsTotal:      often(t, "slots", 2, 0, 1, -1),
		CtxMaxSupported: often(t, "ctx", 8192, 2048, 4096, -1),
		Features:        genFeatures(t, "features"),
		Sampled:         rapid.Bool().Draw(t, "sampled"),
		QueueDepth:      often(t, "queue", 0, 3, 9, -1),
		KVPermille:      often(t, "kv", 200, 900, 1000, 1001, -5),
		SampleAgeMs:     often(t, "age", int64(100), 5000, -1),
	}
}

func genReq(t *rapid.T) Request {
	req := Request{
		ModelID:    often(t, "req.model", "m1", "m2", "", "unseen"),
		Engine:     often(t, "req.engine", "", "e1", "e2", "unseen"),
		Extensions: genFeatures(t, "req.ext"),
		Pin:        often(t, "req.pin", "", "p", "q", "n", "", "zz"),
		SessionID:  oneOf(t, "req.session", "", "s", "u"),
		ReplicaSet: often(t, "req.set", "", "s1", "s2", "unseen"),
	}
	if len(req.Extensions) > 2 && rapid.Bool().Draw(t, "req.short") {
		req.Extensions = req.Extensions[len(req.Extensions)-2:]
	}
	if rapid.Bool().Draw(t, "req.hasDigest") {
		req.ModelDigest = Some(oneOf(t, "req.digest", "d1", "d2", "", "unseen"))
	}
	if rapid.Bool().Draw(t, "req.hasQuant") {
		req.Quant = Some(oneOf(t, "req.quant", "q4", "q8", "", "unseen"))
	}
	if rapid.Bool().Draw(t, "req.hasCtx") {
		req.CtxMax = Some(oneOf(t, "req.ctx", 0, 1024, 4096, 8192, 9000))
	}
	if rapid.Bool().Draw(t, "req.hasStreaming") {
		req.Streaming = Some(rapid.Bool().Draw(t, "req.streaming"))
	}
	return req
}

// TestPlaceInMatchesStringPath: on random snapshots (repeated and empty
// ids, negative counts, more than 64 distinct features, device numbers
// past 64, unknown pools and values, pins, sessions, saturation samples
// and thresholds), PlaceIn on a loaded table and Place give exactly the
// Decision, the error and the per-replica outcomes of the string-based
// path kept in legacy_test.go. One Table and one Placer are reused across
// snapshots of varying size, and each table serves several requests and
// scopes, so stale memory from an earlier Load would show.
func TestPlaceInMatchesStringPath(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	t.Attr("req", "OC-CORE-1042")
	t.Attr("req", "OC-CORE-1056")
	var tb Table
	aff := &Affinity{}
	pl := &Placer{Affinity: aff}
	rapid.Check(t, func(t *rapid.T) {
		pol := Policy{AllowPin: rapid.Bool().Draw(t, "allowPin"), Saturation: Saturation{
			MaxQueueDepth:  often(t, "max queue", 0, 4),
			MaxKVPermille:  often(t, "max kv", 0, 800),
			MaxSampleAgeMs: often(t, "max age", int64(0), 1000),
		}}
		pl.Policy = pol
		ref := &legacy{Policy: pol, Affinity: aff}
		ids := []string{"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", ""}
		n := rapid.IntRange(0, 40).Draw(t, "n")
		snap := Snapshot{Pools: genPools(t), Replicas: make([]Replica, n)}
		for i := range snap.Replicas {
			snap.Replicas[i] = genRep(t, ids)
		}
		for range rapid.IntRange(0, 3).Draw(t, "sessions") {
			aff.Set(oneOf(t, "session", "s", "u"), oneOf(t, "last", ids...))
		}
		if rapid.Bool().Draw(t, "marked") {
			var m Repeats
			tb.LoadMarked(snap, m.Mark(snap.Replicas))
		} else {
			tb.Load(snap)
		}
		for k := range rapid.IntRange(1, 4).Draw(t, "requests") {
			req := genReq(t)
			scope := snap.Pools
			if rapid.Bool().Draw(t, "other scope") {
				scope = genPools(t)
			}
			want, werr := ref.place(&req, Snapshot{Pools: scope, Replicas: snap.Replicas})
			got, gerr := pl.PlaceIn(&req, &tb, scope)
			label := fmt.Sprintf("request %d %+v in %v", k, req, scope)
			same(t, label, got, gerr, want, werr)
			if werr == nil && !slices.Equal(pl.out, ref.out) {
				t.Fatalf("%s: outcomes %v, want %v", label, pl.out, ref.out)
			}
		}
		req := genReq(t)
		want, werr := ref.place(&req, snap)
		got, gerr := pl.Place(&req, snap)
		same(t, "Place", got, gerr, want, werr)
	})
}

func same(t *rapid.T, label string, got Decision, gerr error, want Decision, werr error) {
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s: error %v, want %v", label, gerr, werr)
	}
	if got != want {
		t.Fatalf("%s:\n got  %+v\n want %+v", label, got, want)
	}
}

// TestTableEdges pins down the fallbacks with fixed cases: a feature
// past the 64th distinct one, a device number past 63 inside and outside
// a mask, a request value the table never saw, and a table reloaded with
// a smaller snapshot.
func TestTableEdges(t *testing.T) {
	t.Attr("req", "OC-CORE-1011")
	t.Attr("req", "OC-CORE-1016")
	wide := slices.Clone(manyFeatures[4:74]) // 70 distinct features
	r := Replica{ID: "a", PoolID: "p", Engine: "e", ModelID: "m", Ready: true, Devices: []int{70},
		SlotsTotal: 1, Features: wide}
	pools := []Pool{{ID: "p", DeviceMask: []int{1, 70}}}
	var tb Table
	var pl Placer
	tb.Load(Snapshot{Pools: pools, Replicas: []Replica{r}})
	cases := []struct {
		name string
		req  Request
		mask []int
		want Reason
	}{
		{"feature 70 present", Request{ModelID: "m", Extensions: []string{wide[69]}}, nil, NoReason},
		{"feature never seen", Request{ModelID: "m", Extensions: []string{"nope"}}, nil, ExtensionsUnsatisfied},
		{"model never seen", Request{ModelID: "z"}, nil, EngineMismatch},
		{"device 70 in mask", Request{ModelID: "m"}, []int{1, 70}, NoReason},
		{"device 70 not in mask", Request{ModelID: "m"}, []int{1, 6}, DeviceMaskMismatch},
	}
	for _, c := range cases {
		ps := pools
		if c.mask != nil {
			ps = []Pool{{ID: "p", DeviceMask: c.mask}}
		}
		d, err := pl.PlaceIn(&c.req, &tb, ps)
		if err != nil || pl.out[0] != c.want || d.Assigned != (c.want == NoReason) {
			t.Errorf("%s: outcome %v (assigned %v, %v), want %v", c.name, pl.out[0], d.Assigned, err, c.want)
		}
	}
	tb.Load(Snapshot{Pools: pools})
	if d, _ := pl.PlaceIn(&Request{ModelID: "m"}, &tb, pools); d.Assigned || d.CandidatesTotal != 0 {
		t.Errorf("an empty reload still places: %+v", d)
	}
}

// TestNoAllocationOnceSized: once a Table and a Placer have held a
// snapshot of a size, Load, PlaceIn and Place allocate nothing, also
// with more distinct values than the linear symbol search handles (the
// map path) and with a session to look up.
func TestNoAllocationOnceSized(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	req, snap := benchSnapshot(1024)
	for i := range snap.Replicas { // 32 engines and quants: past smallSyms
		snap.Replicas[i].Quant = fmt.Sprintf("q%d", i%32)
	}
	req.Quant, req.SessionID = Opt[string]{}, "s"
	aff := &Affinity{}
	aff.Set("s", snap.Replicas[5].ID)
	pl := Placer{Affinity: aff}
	var tb Table
	tb.Load(snap)
	pl.PlaceIn(&req, &tb, snap.Pools)
	pl.Place(&req, snap)
	if n := testing.AllocsPerRun(100, func() {
		tb.Load(snap)
		if d, err := pl.PlaceIn(&req, &tb, snap.Pools); err != nil || !d.Assigned {
			t.Fatalf("not placed: %+v %v", d, err)
		}
		pl.Place(&req, snap)
	}); n != 0 {
		t.Fatalf("%v allocations per Load+PlaceIn+Place, want 0", n)
	}
}
