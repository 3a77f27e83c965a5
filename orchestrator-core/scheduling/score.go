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
// ones (sc.out[i] == NoReason), with its matched blocks and whether the
// guard moved it. best is the maximum of the total order, least the
// least-loaded feasible replica.
func (p *Placer) prefer(req *Request, reps []Replica, sc *seen, best, least int) (pick, matched int, guarded bool) {
	pol := &p.Policy.Prefix
	pw, lw := capped(pol.PrefixWeight), capped(pol.LoadWeight)
	load := func(i int) int64 { return capped(int64(reps[i].ActiveSlots)) }
	// Every replica without a match scores −lw×load: the best of them is
	// the least-loaded one, or the total order's best when load has no
	// weight.
	pick = best
	if lw > 0 {
		pick = least
	}
	score := -lw * load(pick)
	hits := p.Prefix.Match(req.Blocks)
	for _, h := range hits {
		i := sc.find(reps, h.Replica)
		if i < 0 || sc.out[i] != NoReason {
			continue
		}
		s := pw*capped(int64(h.Blocks)) - lw*load(i)
		if s > score || s == score && p.before(&reps[i], &reps[pick]) {
			pick, score = i, s
		}
	}
	if pick != least && p.imbalanced(load(pick), load(least)) {
		pick, guarded = least, true
	}
	for _, h := range hits {
		if h.Replica == reps[pick].ID {
			matched = h.Blocks
		}
	}
	return pick, matched, guarded
}

// imbalanced is the guard's test: the chosen load exceeds the least by
// more than GuardSlots and by more than GuardPermille per mille.
func (p *Placer) imbalanced(chosen, least int64) bool {
	g := &p.Policy.Prefix
	return chosen-least > capped(g.GuardSlots) && chosen*1000 > least*capped(g.GuardPermille)
}

// find returns the index of the first replica of rs with id, as recorded
// by add in this decision, or -1.
func (s *seen) find(rs []Replica, id string) int {
	x := spread(id)
	tag := uint8(x>>56) | 1
	for h := x & s.mask; ; h = (h + 1) & s.mask {
		switch s.tag[h] {
		case 0:
			return -1
		case tag:
			if j := s.at[h]; rs[j].ID == id {
				return int(j)
			}
		}
	}
}
