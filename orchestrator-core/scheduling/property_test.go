package scheduling_test

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/scheduling"
)

// model is the plain reference: it filters into a slice, sorts the
// feasible replicas with sort.SliceStable and takes the first.
type model struct {
	reps     []scheduling.Replica
	last     map[string]string
	allowPin bool
	sat      scheduling.Saturation
	prefix   scheduling.PrefixPolicy
	held     map[string][]uint64 // blocks each replica id holds
}

var propPools = []scheduling.Pool{{ID: "p", DeviceMask: []int{0, 1}}, {ID: "q", DeviceMask: []int{2, 3}}, {ID: "n"}}

type refOutcome struct {
	errCode         string
	assigned        bool
	id              string
	warm, moved     bool
	matched         int
	guarded         bool
	reason          string
	total, feasible int
	filtered        map[string]int
}

// refInvalid: an empty id, an id another replica of the snapshot
// carries, or a negative count.
func (m *model) refInvalid(r scheduling.Replica) bool {
	n := 0
	for _, o := range m.reps {
		if o.ID == r.ID {
			n++
		}
	}
	bad := r.ID == "" || n > 1 || r.ActiveSlots < 0 || r.SlotsTotal < 0 || r.FreeVRAMMB < 0 || r.CtxMaxSupported < 0
	return bad || slices.ContainsFunc(r.Devices, func(d int) bool { return d < 0 })
}

func refReason(req *scheduling.Request, r scheduling.Replica, pool scheduling.Pool, sat scheduling.Saturation) string {
	if !r.Ready {
		return "POOL_UNREADY"
	}
	if len(pool.DeviceMask) > 0 && len(r.Devices) == 0 {
		return "DEVICE_MASK_MISMATCH" // no device can be shown inside the mask
	}
	for _, d := range r.Devices {
		if len(pool.DeviceMask) > 0 && !slices.Contains(pool.DeviceMask, d) {
			return "DEVICE_MASK_MISMATCH"
		}
	}
	dig, hasDig := req.ModelDigest.Get()
	q, hasQ := req.Quant.Get()
	if (req.Engine != "" && req.Engine != r.Engine) || req.ModelID != r.ModelID ||
		(hasDig && dig != r.ModelDigest) || (hasQ && q != r.Quant) {
		return "ENGINE_MISMATCH"
	}
	if c, ok := req.CtxMax.Get(); ok && r.CtxMaxSupported < c {
		return "INSUFFICIENT_CTX"
	}
	need := slices.Clone(req.Extensions)
	if s, ok := req.Streaming.Get(); ok && s {
		need = append(need, "streaming")
	}
	for _, e := range need {
		if !slices.Contains(r.Features, e) {
			return "EXTENSIONS_UNSATISFIED"
		}
	}
	if r.ActiveSlots >= r.SlotsTotal {
		return "NO_CAPACITY"
	}
	// Saturation, written out case by case.
	impossible := r.Sampled && (r.KVPermille > 1000 || r.KVPermille < 0 || r.QueueDepth < 0 || r.SampleAgeMs < 0)
	stale := sat.MaxSampleAgeMs != 0 && (!r.Sampled || r.SampleAgeMs > sat.MaxSampleAgeMs)
	deep := r.Sampled && sat.MaxQueueDepth != 0 && r.QueueDepth > sat.MaxQueueDepth
	full := r.Sampled && sat.MaxKVPermille != 0 && r.KVPermille > sat.MaxKVPermille
	if impossible || stale || deep || full {
		return "SATURATED"
	}
	return ""
}

func (m *model) place(req *scheduling.Request) refOutcome {
	out := refOutcome{filtered: map[string]int{}}
	scope := propPools
	if req.Pin != "" {
		i := slices.IndexFunc(propPools, func(p scheduling.Pool) bool { return p.ID == req.Pin })
		if !m.allowPin || i < 0 {
			out.errCode = "INVALID_PARAMS"
			return out
		}
		scope = propPools[i : i+1]
	}
	var feasible []scheduling.Replica
	for _, r := range m.reps {
		i := slices.IndexFunc(scope, func(p scheduling.Pool) bool { return p.ID == r.PoolID })
		if i < 0 || (req.ReplicaSet != "" && req.ReplicaSet != r.ReplicaSet) {
			continue
		}
		out.total++
		if m.refInvalid(r) {
			out.filtered["REPLICA_INVALID"]++
			continue
		}
		if why := refReason(req, r, scope[i], m.sat); why != "" {
			out.filtered[why]++
			continue
		}
		feasible = append(feasible, r)
	}
	out.feasible = len(feasible)
	if len(feasible) == 0 {
		out.reason = "POOL_UNREADY"
		if out.filtered["REPLICA_INVALID"] > 0 && out.filtered["POOL_UNREADY"] == 0 {
			out.reason = "REPLICA_INVALID" // the only stage before POOL_UNREADY
		}
		for _, why := range []string{"DEVICE_MASK_MISMATCH", "ENGINE_MISMATCH", "INSUFFICIENT_CTX", "EXTENSIONS_UNSATISFIED", "NO_CAPACITY", "SATURATED"} {
			if out.filtered[why] > 0 {
				out.reason = why
			}
		}
		if req.Pin != "" && out.reason == "POOL_UNREADY" {
			out.errCode = "POOL_UNREADY"
		}
		return out
	}
	sort.SliceStable(feasible, func(i, j int) bool {
		a, b := feasible[i], feasible[j]
		if a.FreeVRAMMB != b.FreeVRAMMB {
			return a.FreeVRAMMB > b.FreeVRAMMB
		}
		if a.ActiveSlots != b.ActiveSlots {
			return a.ActiveSlots < b.ActiveSlots
		}
		return a.ID < b.ID
	})
	out.assigned, out.id = true, feasible[0].ID
	scored := m.prefix.Enabled && len(req.Blocks) > 0
	if last, ok := m.last[req.SessionID]; ok && req.SessionID != "" {
		i := slices.IndexFunc(feasible, func(r scheduling.Replica) bool { return r.ID == last })
		switch {
		case i >= 0 && scored && m.guards(feasible[i], feasible[m.least(feasible)]):
			out.guarded = true // the guard applies to the session's replica too
		case i >= 0:
			out.id, out.warm = last, true
			if scored {
				out.matched = m.depth(last, req.Blocks)
			}
			return out
		}
		out.moved = true
	}
	if scored {
		m.score(req, feasible, &out)
	}
	return out
}

// least is the index in feasible (sorted by the total order) of the
// first replica with the fewest active slots.
func (m *model) least(feasible []scheduling.Replica) int {
	l := 0
	for i, r := range feasible {
		if r.ActiveSlots < feasible[l].ActiveSlots {
			l = i
		}
	}
	return l
}

// guards is the imbalance guard, written out: r has more than GuardSlots
// active slots above the least-loaded l and more than GuardPermille per
// mille of its slots.
func (m *model) guards(r, l scheduling.Replica) bool {
	a, b := int64(r.ActiveSlots), int64(l.ActiveSlots)
	return a-b > m.prefix.GuardSlots && a*1000 > b*m.prefix.GuardPermille
}

// depth is the longest prefix of blocks that replica id holds.
func (m *model) depth(id string, blocks []uint64) int {
	d := 0
	for d < len(blocks) && slices.Contains(m.held[id], blocks[d]) {
		d++
	}
	return d
}

// score is prefix scoring by brute force over feasible, which is sorted
// by the total order: the highest score, the first in that order on a
// tie; the least-loaded is the first with the fewest active slots; then
// the guard, written out.
func (m *model) score(req *scheduling.Request, feasible []scheduling.Replica, out *refOutcome) {
	pw, lw := m.prefix.PrefixWeight, m.prefix.LoadWeight
	pick, least := 0, m.least(feasible)
	val := func(r scheduling.Replica) int64 {
		return pw*int64(m.depth(r.ID, req.Blocks)) - lw*int64(r.ActiveSlots)
	}
	for i, r := range feasible {
		if val(r) > val(feasible[pick]) {
			pick = i
		}
	}
	if pick != least && m.guards(feasible[pick], feasible[least]) {
		pick, out.guarded = least, true
	}
	out.id = feasible[pick].ID
	out.matched = m.depth(out.id, req.Blocks)
	out.warm = out.matched > 0
}

// treeChain draws a chain of a tree of blocks (block b's parent is b/3,
// block 1 the root), so that chains share prefixes.
func treeChain(t *rapid.T, label string) []uint64 {
	var c []uint64
	for b := rapid.Uint64Range(1, 80).Draw(t, label); b >= 1; b /= 3 {
		c = append([]uint64{b}, c...)
	}
	return c
}

// usually draws the common value, and another one now and then, so that
// most replicas are feasible and ties are frequent.
func usually[V any](t *rapid.T, label string, common V, others ...V) V {
	if len(others) == 0 || rapid.IntRange(0, 5).Draw(t, label+".odd") > 0 {
		return common
	}
	return rapid.SampledFrom(others).Draw(t, label)
}

func genReplica(t *rapid.T, id string) scheduling.Replica {
	pool := usually(t, "pool", "p", "q", "n", "x")
	devices := map[string][]int{"p": {0, 1}, "q": {2, 3}, "n": {5, 6}, "x": {4}}[pool]
	n := rapid.IntRange(0, 2).Draw(t, "ndev")
	var devs []int
	for range n {
		devs = append(devs, usually(t, "device", rapid.SampledFrom(devices).Draw(t, "own"), 0, 1, 2, 3, 4))
	}
	return scheduling.Replica{
		ID:              id,
		PoolID:          pool,
		ReplicaSet:      usually(t, "set", "s1", "s2"),
		Engine:          usually(t, "engine", "e1", "e2"),
		ModelID:         usually(t, "model", "m1", "m2"),
		ModelDigest:     usually(t, "digest", "d1", "d2"),
		Quant:           usually(t, "quant", "q4", "q8"),
		Ready:           usually(t, "ready", true, false),
		Devices:         devs,
		FreeVRAMMB:      int64(rapid.IntRange(0, 2).Draw(t, "vram") * 1000),
		ActiveSlots:     rapid.IntRange(0, 1).Draw(t, "active"),
		SlotsTotal:      usually(t, "slots", 2, 0, 1),
		CtxMaxSupported: usually(t, "ctx", 8192, 2048, 4096),
		Features:        usually(t, "features", []string{"streaming", "tools", "grammar"}, nil, []string{"tools"}, []string{"streaming"}),
		Sampled:         usually(t, "sampled", true, false),
		QueueDepth:      usually(t, "queue depth", 0, 3, 9, -1),
		KVPermille:      usually(t, "kv", 200, 900, 1000, 1001, -5),
		SampleAgeMs:     usually(t, "age", int64(100), 5000, -1),
	}
}

func genRequest(t *rapid.T) scheduling.Request {
	req := scheduling.Request{
		ModelID:    usually(t, "req.model", "m1", "m2"),
		Engine:     usually(t, "req.engine", "", "e1", "e2"),
		Extensions: rapid.SliceOfN(rapid.SampledFrom([]string{"tools", "grammar"}), 0, 1).Draw(t, "req.ext"),
		Pin:        usually(t, "req.pin", "", "p", "q", "n", "zz"),
		SessionID:  rapid.SampledFrom([]string{"", "s", "s", "u"}).Draw(t, "req.session"),
		ReplicaSet: usually(t, "req.set", "", "s1", "s2"),
	}
	if rapid.Bool().Draw(t, "req.hasDigest") {
		req.ModelDigest = scheduling.Some(rapid.SampledFrom([]string{"d1", "d2"}).Draw(t, "req.digest"))
	}
	if rapid.Bool().Draw(t, "req.hasQuant") {
		req.Quant = scheduling.Some(rapid.SampledFrom([]string{"q4", "q8"}).Draw(t, "req.quant"))
	}
	if rapid.Bool().Draw(t, "req.hasCtx") {
		req.CtxMax = scheduling.Some(rapid.SampledFrom([]int{1024, 4096, 8192}).Draw(t, "req.ctx"))
	}
	if rapid.Bool().Draw(t, "req.hasStreaming") {
		req.Streaming = scheduling.Some(rapid.Bool().Draw(t, "req.streaming"))
	}
	return req
}

// placer is what the machine decides with: the real Placer, or a broken
// one built around it.
type placer interface {
	Place(*scheduling.Request, scheduling.Snapshot) (scheduling.Decision, error)
}

func asIs(p *scheduling.Placer) placer { return p }

// placementMachine drives a Placer and the reference model with the same
// actions and compares every decision. prepare may alter the Placer and
// returns what decides: the Placer itself, or (the negative tests) a
// broken placer built around it.
func placementMachine(prepare func(*scheduling.Placer) placer) func(*rapid.T) {
	return func(t *rapid.T) {
		allow := rapid.Bool().Draw(t, "allowPin")
		sat := scheduling.Saturation{
			MaxQueueDepth:  usually(t, "max queue depth", 0, 4),
			MaxKVPermille:  usually(t, "max kv", 0, 800),
			MaxSampleAgeMs: usually(t, "max age", int64(0), 1000),
		}
		pre := scheduling.PrefixPolicy{
			Enabled:       usually(t, "prefix", true, false),
			PrefixWeight:  usually(t, "prefix weight", int64(2), 0, 1, 3),
			LoadWeight:    usually(t, "load weight", int64(1), 0, 2),
			GuardSlots:    rapid.Int64Range(0, 1).Draw(t, "guard slots"),
			GuardPermille: rapid.SampledFrom([]int64{1000, 1500, 3000}).Draw(t, "guard permille"),
		}
		aff := &scheduling.Affinity{}
		idx := scheduling.NewPrefix(64, 64)
		pl := &scheduling.Placer{Policy: scheduling.Policy{AllowPin: allow, Saturation: sat, Prefix: pre}, Affinity: aff, Prefix: idx}
		place := prepare(pl)
		m := &model{last: map[string]string{}, allowPin: allow, sat: sat, prefix: pre, held: map[string][]uint64{}}
		ids := []string{"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"}
		pick := func(t *rapid.T) int {
			if len(m.reps) == 0 {
				t.Skip("no replica")
			}
			return rapid.IntRange(0, len(m.reps)-1).Draw(t, "i")
		}
		// An engine reports what it caches: the index and the model hold
		// the same blocks.
		cache := func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "replica")
			var held []uint64
			for range rapid.IntRange(0, 2).Draw(t, "chains") {
				for _, b := range treeChain(t, "leaf") {
					if !slices.Contains(held, b) {
						held = append(held, b)
					}
				}
			}
			idx.Report(id, held)
			m.held[id] = held
		}
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				if slices.ContainsFunc(m.reps, func(r scheduling.Replica) bool { return r.ID == id }) &&
					rapid.IntRange(0, 3).Draw(t, "repeat id?") > 0 {
					t.Skip("id taken")
				}
				m.reps = append(m.reps, genReplica(t, id))
			},
			// Garbage a caller might send: every such entry is filtered
			// as REPLICA_INVALID, whatever its position.
			"garble": func(t *rapid.T) {
				r := &m.reps[pick(t)]
				switch rapid.IntRange(0, 5).Draw(t, "field") {
				case 0:
					r.ID = ""
				case 1:
					r.ActiveSlots, r.SlotsTotal = -1, 0
				case 2:
					r.SlotsTotal = -1
				case 3:
					r.FreeVRAMMB = -1
				case 4:
					r.CtxMaxSupported = -1
				case 5:
					r.Devices = append(r.Devices, -1)
				}
			},
			"remove": func(t *rapid.T) {
				i := pick(t)
				m.reps = slices.Delete(m.reps, i, i+1)
			},
			"flip-ready": func(t *rapid.T) {
				i := pick(t)
				m.reps[i].Ready = !m.reps[i].Ready
			},
			"load": func(t *rapid.T) {
				i := pick(t)
				m.reps[i].FreeVRAMMB = int64(rapid.IntRange(0, 3).Draw(t, "vram") * 1000)
				m.reps[i].ActiveSlots = rapid.IntRange(0, 6).Draw(t, "active")
				m.reps[i].SlotsTotal = max(m.reps[i].SlotsTotal, m.reps[i].ActiveSlots+rapid.IntRange(0, 1).Draw(t, "free"))
			},
			"remember": func(t *rapid.T) {
				s := rapid.SampledFrom([]string{"s", "u"}).Draw(t, "session")
				id := rapid.SampledFrom(ids).Draw(t, "replica")
				if len(m.reps) > 0 && rapid.Bool().Draw(t, "listed?") { // usually a replica of the snapshot
					id = m.reps[pick(t)].ID
				}
				aff.Set(s, id)
				m.last[s] = id
			},
			// An engine reports what it caches: the index and the model
			// hold the same blocks.
			"cache":      cache,
			"cache more": cache,
			"place": func(t *rapid.T) {
				req := genRequest(t)
				if rapid.IntRange(0, 3).Draw(t, "blocks?") > 0 {
					req.Blocks = treeChain(t, "query")
				}
				want := m.place(&req)
				snap := scheduling.Snapshot{Pools: propPools, Replicas: slices.Clone(m.reps)}
				d, err := place.Place(&req, snap)
				compare(t, "snapshot order", d, err, snap, want)
				// The decision must not depend on the snapshot order.
				snap.Replicas = rapid.Permutation(snap.Replicas).Draw(t, "perm")
				d, err = place.Place(&req, snap)
				compare(t, "permuted", d, err, snap, want)
			},
		})
	}
}

func compare(t *rapid.T, label string, d scheduling.Decision, err error, snap scheduling.Snapshot, want refOutcome) {
	code := ""
	var e *scheduling.Error
	if errors.As(err, &e) {
		code = e.Code
	}
	if code != want.errCode {
		t.Fatalf("%s: error %v, want code %q", label, err, want.errCode)
	}
	if code == "INVALID_PARAMS" {
		return
	}
	got := refOutcome{
		errCode: code, assigned: d.Assigned, id: d.ReplicaID, warm: d.KVWarmth, moved: d.Moved,
		matched: d.MatchedBlocks, guarded: d.Guarded,
		reason: d.Reason.String(), total: d.CandidatesTotal, feasible: d.CandidatesFeasible,
		filtered: map[string]int{},
	}
	for _, c := range d.Counts() {
		got.filtered[c.Reason] = c.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s:\n got  %+v\n want %+v", label, got, want)
	}
	if d.Assigned && (d.ReplicaID == "" || snap.Replicas[d.Index].ID != d.ReplicaID) {
		t.Fatalf("%s: Index %d names %s, not %s", label, d.Index, snap.Replicas[d.Index].ID, d.ReplicaID)
	}
}

func TestPlacementMatchesReference(t *testing.T) {
	for _, id := range []string{"OC-CORE-1010", "OC-CORE-1011", "OC-CORE-1012", "OC-CORE-1013", "OC-CORE-1016", "OC-CORE-1017", "OC-CORE-1018", "OC-CORE-1019", "OC-CORE-1033", "OC-CORE-1042", "OC-CORE-1055", "OC-CORE-1056"} {
		t.Attr("req", id)
	}
	rapid.Check(t, placementMachine(asIs))
}

// The property catches a placer whose imbalance guard never fires, and
// one that ignores the prefix index; both mutants are built here, around
// the real Placer, from its configuration.
//
// A run that reaches the guard is rare in the machine (about one check in
// a thousand or two), so proptest.Fails' five rounds of 1000 checks missed
// it in about one run in ten; with 5000 checks a round the test no longer
// depends on the seed (and ends at the first round that finds it).
func TestPropertyCatchesGuardIgnored(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	atLeastChecks(t, 5000)
	failed, first := proptest.Fails(t, placementMachine(func(p *scheduling.Placer) placer {
		p.Policy.Prefix.GuardSlots = 1 << 40
		return p
	}))
	if !failed || !strings.Contains(first, "guarded") {
		t.Fatalf("the property accepted a placer without the imbalance guard (%q)", first)
	}
}

func TestPropertyCatchesPrefixIgnored(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	failed, _ := proptest.Fails(t, placementMachine(func(p *scheduling.Placer) placer {
		p.Prefix = scheduling.NewPrefix(1, 1)
		return p
	}))
	if !failed {
		t.Fatal("the property accepted a placer reading an empty prefix index")
	}
}

// atLeastChecks raises rapid's number of checks to n for the rest of t
// (proptest.Fails takes the larger of the flag and its own minimum).
// The tests of this package that use rapid are not parallel.
func atLeastChecks(t *testing.T, n int) {
	t.Helper()
	f := flag.Lookup("rapid.checks")
	old := f.Value.String()
	if err := flag.Set("rapid.checks", fmt.Sprint(max(n, intValue(t, old)))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := flag.Set("rapid.checks", old); err != nil {
			t.Error(err)
		}
	})
}

func intValue(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("rapid.checks %q: %v", s, err)
	}
	return n
}
