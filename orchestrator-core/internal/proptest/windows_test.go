package proptest_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/internal/proptest"
)

// steps feeds seq (class per dispatch) with backlog b throughout and
// returns the index of the first dispatch at which a window closed
// unserved, and the class, or -1, -1.
func steps(w *proptest.Windows, b uint64, seq []int) (at, class int) {
	for i, k := range seq {
		if miss := w.Step(b, k); miss >= 0 {
			return i, miss
		}
	}
	return -1, -1
}

// The expected outcomes are worked out by hand from the window rules.
// (The checker is the oracle of OC-CORE-1006; the tests that run the
// pickers and the pool against it carry the requirement.)
func TestWindows(t *testing.T) {
	for _, c := range []struct {
		name      string
		weights   []int
		backlog   uint64
		seq       []int
		at, class int
	}{
		// Periods 2 and 2: class 1's first window is dispatches 0-1; it
		// closes unserved at dispatch 2.
		{"equal weights, one class starved", []int{1, 1}, 0b11, []int{0, 0, 0}, 2, 1},
		{"equal weights, alternating", []int{1, 1}, 0b11, []int{0, 1, 1, 0, 0, 1, 1, 0}, -1, -1},
		// Periods 2 (ceil 4/3) and 4: class 1 served at 3 of 0-3, at 7 of
		// 4-7; class 0 once in every pair.
		{"3:1 served in time", []int{3, 1}, 0b11, []int{0, 0, 0, 1, 0, 0, 0, 1, 0}, -1, -1},
		// Class 0's window 0-1 has no dispatch of 0: missed at dispatch 2.
		{"3:1, class 0 late", []int{3, 1}, 0b11, []int{1, 1, 0}, 2, 0},
		// A class that is not backlogged has no window to miss.
		{"idle class", []int{1, 1}, 0b01, []int{0, 0, 0, 0}, -1, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := proptest.NewWindows(c.weights)
			at, class := steps(w, c.backlog, c.seq)
			if at != c.at || class != c.class {
				t.Errorf("first miss at dispatch %d of class %d, want %d of class %d", at, class, c.at, c.class)
			}
		})
	}
}

func TestWindowsPeriodsAndCount(t *testing.T) {
	w := proptest.NewWindows([]int{3, 2, 1}) // W = 6
	for k, want := range []int{2, 3, 6} {
		if got := w.Period(k); got != want {
			t.Errorf("Period(%d) = %d, want %d", k, got, want)
		}
	}
	w.Step(0b111, 0)
	w.Step(0b111, -1) // no dispatch of a class: still counted
	if got := w.Dispatches(); got != 2 {
		t.Errorf("Dispatches = %d, want 2", got)
	}
}

// A window restarts when its class becomes backlogged again: class 1,
// idle for a while, gets a fresh window when its work arrives.
func TestWindowsRestartOnNewBacklog(t *testing.T) {
	w := proptest.NewWindows([]int{1, 1}) // periods 2, 2
	for range 5 {
		if miss := w.Step(0b01, 0); miss >= 0 {
			t.Fatalf("miss %d while class 1 was idle", miss)
		}
	}
	// Class 1 arrives at dispatch 5: its window is 5-6, closing at 7.
	if miss := w.Step(0b11, 0); miss >= 0 {
		t.Fatalf("miss %d at the arrival", miss)
	}
	if miss := w.Step(0b11, 0); miss >= 0 {
		t.Fatalf("miss %d inside the first window", miss)
	}
	if miss := w.Step(0b11, 1); miss != 1 {
		t.Errorf("Step at dispatch 7 = %d, want class 1's window 5-6 missed", miss)
	}
}

// The expected outcomes are worked out by hand from the bound on Share.
func TestShare(t *testing.T) {
	for _, c := range []struct {
		name    string
		weights []int
		backlog []uint64 // per dispatch; the last one repeats
		seq     []int
		at      int // first dispatch out of bound, or -1
	}{
		// 5:1, m = 2: lag bound (−2·6, 2·6). Class 0 five times, class 1
		// once, repeated: exact.
		{"5:1 exact", []int{5, 1}, []uint64{0b11}, []int{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, -1},
		// 5:1 served 1:1: after 6 dispatches class 1 has served 3, lag
		// 6·1 − 6·3 = −12 = −2·W_B: out at i = 5 (at i = 4 it is −7).
		{"5:1 served alternately", []int{5, 1}, []uint64{0b11}, []int{0, 1, 0, 1, 0, 1}, 5},
		// 1:1:1, m = 3, W_B = 3: the lag must stay inside (−6, 12). Class
		// 0 served every time has lag D − 3D = −2D, −6 at D = 3 (i = 2).
		{"1:1:1 one class hogs", []int{1, 1, 1}, []uint64{0b111}, []int{0, 0, 0, 0, 0, 1}, 2},
		// A change of backlog starts a new run: class 0 alone five times
		// (exact), then 1:1 with alternation from scratch.
		{"new run", []int{1, 1}, []uint64{0b01, 0b01, 0b01, 0b11}, []int{0, 0, 0, 0, 1, 0, 1}, -1},
		// One class alone must be served every time.
		{"alone, served", []int{3}, []uint64{0b1}, []int{0, 0, 0}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := proptest.NewShare(c.weights)
			at := -1
			for i, k := range c.seq {
				b := c.backlog[min(i, len(c.backlog)-1)]
				if msg := s.Step(b, k); msg != "" {
					at = i
					break
				}
			}
			if at != c.at {
				t.Errorf("first dispatch out of bound %d, want %d", at, c.at)
			}
		})
	}
}
