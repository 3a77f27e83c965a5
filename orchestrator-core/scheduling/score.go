package scheduling

import "fmt"

// PrefixPolicy is prefix-cache-aware placement (OC-CORE-1055). With
// Enabled, a request carrying blocks is placed on the feasible replica of
// highest score
//
//	PrefixWeight × matched blocks − LoadWeight × active slots
//
// (integers only), ties broken by the total order of OC-CORE-1017; then
// the imbalance guard: when the chosen replica has more than GuardSlots
// active slots above the least-loaded feasible replica and more than
// GuardPermille/1000 times its active slots, the least-loaded one is
// placed instead. The least-loaded feasible replica is the one with the
// fewest active slots, ties by the total order.
type PrefixPolicy struct {
	Enabled bool
	// MaxBlocks bounds the blocks a task may carry (the pool refuses
	// more); BlocksPerReplica bounds the pool's index per replica.
	MaxBlocks, BlocksPerReplica int
	PrefixWeight, LoadWeight    int64
	GuardSlots, GuardPermille   int64
}

// Defaults of an enabled PrefixPolicy's zero fields. The weights and the
// guard are those the placement simulation chose (docs/benchmarks.md,
// "Placement simulation"): the loosest guard that keeps max/mean active
// slots within 1.25 at 16, 32 and 64 replicas.
const (
	DefaultMaxBlocks        = 4096
	DefaultBlocksPerReplica = 8192
	DefaultPrefixWeight     = 1
	DefaultLoadWeight       = 4
	DefaultGuardSlots       = 1
	DefaultGuardPermille    = 1250
)

// WithDefaults returns p with every zero field of an enabled policy set
// to its default.
func (p PrefixPolicy) WithDefaults() PrefixPolicy {
	if !p.Enabled {
		return p
	}
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	if p.MaxBlocks == 0 {
		p.MaxBlocks = DefaultMaxBlocks
	}
	if p.BlocksPerReplica == 0 {
		p.BlocksPerReplica = DefaultBlocksPerReplica
	}
	def(&p.PrefixWeight, DefaultPrefixWeight)
	def(&p.LoadWeight, DefaultLoadWeight)
	def(&p.GuardSlots, DefaultGuardSlots)
	def(&p.GuardPermille, DefaultGuardPermille)
	return p
}

// Validate refuses a negative field, and a GuardPermille between 1 and
// 999 (the guard would compare against less than the least load).
func (p PrefixPolicy) Validate() error {
	if p.MaxBlocks < 0 || p.BlocksPerReplica < 0 || p.PrefixWeight < 0 || p.LoadWeight < 0 || p.GuardSlots < 0 || p.GuardPermille < 0 {
		return fmt.Errorf("prefix policy: negative field in %+v", p)
	}
	if p.GuardPermille > 0 && p.GuardPermille < 1000 {
		return fmt.Errorf("prefix policy: guard permille %d below 1000", p.GuardPermille)
	}
	return nil
}

// scoreCap bounds the factors of a score so that no product overflows:
// weights and counts above it count as the cap.
const scoreCap = 1 << 31

func capped(v int64) int64 { return min(max(v, 0), scoreCap) }

// prefer returns the replica prefix scoring places among the feasible
// ones of t (out[i] == NoReason), and whether the guard moved it. best is
// the maximum of the total order, least the least-loaded feasible
// replica. The index's hits are kept in p.hits for [Placer.matched].
func (p *Placer) prefer(req *Request, t *Table, out []Reason, best, least int) (pick int, guarded bool) {
	pol := &p.Policy.Prefix
	pw, lw := capped(pol.PrefixWeight), capped(pol.LoadWeight)
	// Every replica without a match scores −lw×load: the best of them is
	// the least-loaded one, or the total order's best when load has no
	// weight. A replica with a match is scored below, so this start can
	// only be beaten by a better score.
	pick = best
	if lw > 0 {
		pick = least
	}
	score := -lw * t.slots(pick)
	for _, h := range p.hits {
		i := h.at
		if i < 0 || out[i] != NoReason {
			continue
		}
		s := pw*capped(int64(h.blocks)) - lw*t.slots(i)
		if s > score || s == score && p.above(t, i, pick) {
			pick, score = i, s
		}
	}
	if pick != least && p.imbalanced(t, pick, least) {
		return least, true
	}
	return pick, false
}

// hit is an index hit resolved to a replica of the table (at, -1 when the
// table has no such replica).
type hit struct{ at, blocks int }

// match looks req's blocks up in the index and resolves the hits to
// replicas of t, into p.hits.
func (p *Placer) match(req *Request, t *Table) {
	p.hits = p.hits[:0]
	for _, h := range p.Prefix.Match(req.Blocks) {
		p.hits = append(p.hits, hit{at: t.find(h.Replica), blocks: h.Blocks})
	}
}

// matched returns how many leading blocks replica i holds, from p.hits.
func (p *Placer) matched(t *Table, i int) int {
	for _, h := range p.hits {
		if h.at == i {
			return h.blocks
		}
	}
	return 0
}

// imbalanced is the guard's test for replica i against the least-loaded
// replica l: more than GuardSlots active slots above it and more than
// GuardPermille per mille of its load.
func (p *Placer) imbalanced(t *Table, i, l int) bool {
	g := &p.Policy.Prefix
	a, b := t.slots(i), t.slots(l)
	return a-b > capped(g.GuardSlots) && a*1000 > b*capped(g.GuardPermille)
}

// slots is replica i's active slots as a score factor.
func (t *Table) slots(i int) int64 { return capped(int64(t.recs[i].active)) }
