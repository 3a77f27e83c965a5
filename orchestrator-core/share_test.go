package core_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/queue"
)

// sharePool drives a Pool whose classes are kept backlogged or drained at
// random and checks every dispatch of Next against the window checker of
// OC-CORE-1006 and the share checker (proptest.Share, the bound stated in
// .specs/10).
type sharePool struct {
	p       *core.Pool
	queued  []int  // tasks queued per class
	active  uint64 // classes refilled after each dispatch
	seq     int
	names   []string
	win     *proptest.Windows
	sh      *proptest.Share
	weights []int
}

// fatal is what sharePool needs of a *testing.T or a *rapid.T.
type fatal interface {
	Fatal(...any)
	Fatalf(string, ...any)
}

func newSharePool(t fatal, weights []int) *sharePool {
	cfg := core.Config{ID: "p1", Fairness: fairness.KindWeighted}
	s := &sharePool{weights: weights, queued: make([]int, len(weights))}
	for i, w := range weights {
		name := fmt.Sprint("c", i)
		s.names = append(s.names, name)
		cfg.Classes = append(cfg.Classes, queue.Class{Name: name, Rank: 100 - i, Weight: w, Capacity: 8})
	}
	p, err := core.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.p, s.win, s.sh = p, proptest.NewWindows(weights), proptest.NewShare(weights)
	return s
}

func (s *sharePool) admit(t fatal, k int) {
	s.seq++
	if _, err := s.p.Admit(core.Task{ID: fmt.Sprint("t", s.seq), Class: s.names[k]}); err != nil {
		t.Fatalf("Admit into %s: %v", s.names[k], err)
	}
	s.queued[k]++
}

// fill tops every active class up to two queued tasks.
func (s *sharePool) fill(t fatal) {
	for k := range s.weights {
		for s.active&(1<<k) != 0 && s.queued[k] < 2 {
			s.admit(t, k)
		}
	}
}

func (s *sharePool) backlog() (b uint64) {
	for k, n := range s.queued {
		if n > 0 {
			b |= 1 << k
		}
	}
	return b
}

func (s *sharePool) dispatch(t fatal) {
	b := s.backlog()
	j, ok := next(s.p)
	if !ok {
		t.Fatalf("Next found nothing with backlog %b", b)
	}
	var k int
	fmt.Sscanf(j.Task.Class, "c%d", &k)
	if miss := s.win.Step(b, k); miss >= 0 {
		t.Fatalf("weights %v: class %d missed its window of %d", s.weights, miss, s.win.Period(miss))
	}
	if msg := s.sh.Step(b, k); msg != "" {
		t.Fatalf("weights %v: %s", s.weights, msg)
	}
	s.queued[k]--
	if err := s.p.Complete(j.Task.ID); err != nil {
		t.Fatal(err)
	}
	s.fill(t)
}

// TestPoolShares: through Admit, Next and Complete, for random weights and
// random backlog patterns, every window is served and every class's count
// stays within the stated constant of its weighted share.
func TestPoolShares(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	t.Attr("req", "OC-CORE-1007")
	rapid.Check(t, func(t *rapid.T) {
		top := rapid.SampledFrom([]int{6, 1000, fairness.MaxWeight}).Draw(t, "largest weight")
		weights := rapid.SliceOfN(rapid.IntRange(1, top), 1, 8).Draw(t, "weights")
		s := newSharePool(t, weights)
		s.active = 1<<len(weights) - 1
		s.fill(t)
		t.Repeat(map[string]func(*rapid.T){
			"dispatch": func(t *rapid.T) {
				for range rapid.IntRange(1, 200).Draw(t, "burst") {
					if s.backlog() == 0 {
						return
					}
					s.dispatch(t)
				}
			},
			// A class stops being refilled (it drains) or starts again.
			"toggle": func(t *rapid.T) {
				s.active ^= 1 << rapid.IntRange(0, len(weights)-1).Draw(t, "class")
				s.fill(t)
			},
		})
	})
}

// TestPoolSharesExact: the weights an outside review found drifting, all
// classes backlogged for 600 dispatches through Next; counts worked out by
// hand as 600·w/W, each within the bound (share − 2(m−1), share + 2).
func TestPoolSharesExact(t *testing.T) {
	t.Attr("req", "OC-CORE-1007")
	for _, c := range []struct {
		weights []int
		want    []int
	}{
		{[]int{5, 1}, []int{500, 100}},
		{[]int{1, 2}, []int{200, 400}},
		{[]int{1, 1, 1, 7}, []int{60, 60, 60, 420}},
		{[]int{6, 3, 1}, []int{360, 180, 60}},
	} {
		t.Run(fmt.Sprint(c.weights), func(t *testing.T) {
			s := newSharePool(t, c.weights)
			s.active = 1<<len(c.weights) - 1
			s.fill(t)
			for range 600 {
				s.dispatch(t)
			}
			st := s.p.Stats()
			m := len(c.weights)
			for k, want := range c.want {
				got := int(st.Classes[k].Dispatched)
				if got <= want-2*(m-1) || got >= want+2 {
					t.Errorf("class %d: %d of 600 dispatches, want within (%d, %d)", k, got, want-2*(m-1), want+2)
				}
			}
		})
	}
}
