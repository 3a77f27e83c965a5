package scheduling_test

import (
	"math/rand/v2"

	"orchcore.dev/orchestrator-core/scheduling"
)

// simWork is the workload of a placement simulation: chat sessions over
// a few shared system prompts. A session's token stream is its system
// prompt, then for each turn a user message and the reply; the prompt of
// turn k is the stream up to its user message, so it extends turn k-1's
// prompt and reply. Lengths are in tokens; times in ticks, one tick per
// token, so a job holds its slot for prompt+reply ticks.
type simWork struct {
	Seed               uint64
	Sessions           int // per replica
	BlockTokens        int
	SysPrompts         int
	SysMin, SysMax     int
	HotPermille        int // sessions on system prompt 0; 0 = uniform
	TurnsMin, TurnsMax int
	UserMin, UserMax   int
	ReplyMin, ReplyMax int
	ThinkMean          int64 // mean ticks between a reply and the next turn
	LoadPermille       int   // offered load, of all slots
	Slots, CacheBlocks int   // per replica
	// WarmPermille: the measured window runs from this share of the
	// arrival horizon (the last session start) to its end.
	WarmPermille int
}

// defaultWork is the workload the target is asserted on.
func defaultWork() simWork {
	return simWork{
		Seed: 20261202, Sessions: 40, BlockTokens: 16,
		SysPrompts: 8, SysMin: 512, SysMax: 2048,
		TurnsMin: 1, TurnsMax: 8, UserMin: 16, UserMax: 256, ReplyMin: 32, ReplyMax: 512,
		ThinkMean: 3000, LoadPermille: 750, Slots: 8, CacheBlocks: 2048,
		WarmPermille: 300,
	}
}

// skewedWork puts nine sessions in ten on one system prompt.
func skewedWork() simWork {
	w := defaultWork()
	w.HotPermille = 900
	return w
}

type simTurn struct {
	prompt, total int   // blocks of the prompt; of prompt and reply
	ticks         int64 // prompt+reply tokens: how long the job runs
	think         int64 // before this turn: after the session start or the last reply
}

type simSession struct {
	id    string
	chain []uint64 // the whole stream's blocks; turn k uses a prefix
	turns []simTurn
}

// simArrivals is what every policy replays: the sessions and their start
// times, ascending.
type simArrivals struct {
	ss     []simSession
	starts []int64
	warm   int64 // the measured window is [warm, end)
	end    int64
}

func uniform(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func tokens(r *rand.Rand, dst []int32, n int) []int32 {
	for range n {
		dst = append(dst, int32(r.IntN(32000)))
	}
	return dst
}

// generate draws the arrivals for n replicas from the seed alone.
func (w simWork) generate(n int) simArrivals {
	r := rand.New(rand.NewPCG(w.Seed, uint64(n)))
	sys := make([][]int32, w.SysPrompts)
	for i := range sys {
		sys[i] = tokens(r, nil, uniform(r, w.SysMin, w.SysMax))
	}
	a := simArrivals{ss: make([]simSession, w.Sessions*n)}
	var work int64
	var stream []int32
	for i := range a.ss {
		p := r.IntN(w.SysPrompts)
		if w.HotPermille > 0 {
			if r.IntN(1000) < w.HotPermille {
				p = 0
			} else {
				p = 1 + r.IntN(w.SysPrompts-1)
			}
		}
		stream = append(stream[:0], sys[p]...)
		s := &a.ss[i]
		s.id = "s" + itoa(i)
		for k := range uniform(r, w.TurnsMin, w.TurnsMax) {
			stream = tokens(r, stream, uniform(r, w.UserMin, w.UserMax))
			prompt := len(stream)
			stream = tokens(r, stream, uniform(r, w.ReplyMin, w.ReplyMax))
			t := simTurn{prompt: prompt / w.BlockTokens, total: len(stream) / w.BlockTokens, ticks: int64(len(stream))}
			if k > 0 {
				t.think = int64(r.ExpFloat64() * float64(w.ThinkMean))
			}
			s.turns = append(s.turns, t)
			work += t.ticks
		}
		s.chain = scheduling.Chain(nil, stream, w.BlockTokens)
	}
	// Sessions start as a Poisson process whose rate makes the offered
	// load LoadPermille of all slots: rate × mean slot-ticks per session.
	gap := float64(work) / float64(len(a.ss)) * 1000 / float64(w.LoadPermille*n*w.Slots)
	var t int64
	a.starts = make([]int64, len(a.ss))
	for i := range a.starts {
		t += int64(r.ExpFloat64() * gap)
		a.starts[i] = t
	}
	a.end = t
	a.warm = t * int64(w.WarmPermille) / 1000
	return a
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		if i /= 10; i == 0 {
			return string(b[n:])
		}
	}
}
