package fairness_test

// spareOnly is the weighted picker as it was before shares were fixed: the
// same earliest-deadline windows, but spare dispatches shared by smooth
// weighted round robin over the spare dispatches alone. It meets every
// window of OC-CORE-1006 yet gives 5:1 about 7:2, so only a property that
// checks the share catches it.
type spareOnly struct {
	w, period, start, cur []int64
	served                []bool
	was                   uint64
	n                     int64
}

func newSpareOnly(weights []int) *spareOnly {
	var sum int64
	for _, w := range weights {
		sum += int64(w)
	}
	n := len(weights)
	f := &spareOnly{w: make([]int64, n), period: make([]int64, n), start: make([]int64, n),
		cur: make([]int64, n), served: make([]bool, n)}
	for i, w := range weights {
		f.w[i], f.period[i] = int64(w), (sum+int64(w)-1)/int64(w)
	}
	return f
}

func (f *spareOnly) window(k int) (int64, bool) {
	start, end := f.start[k], f.start[k]+f.period[k]
	switch {
	case f.was&(1<<k) == 0 && (!f.served[k] || f.n >= end):
		return f.n, false
	case f.n >= end:
		return start + (f.n-start)/f.period[k]*f.period[k], false
	}
	return start, f.served[k]
}

func (f *spareOnly) due(b uint64) int {
	best, bestEnd := -1, int64(0)
	for k := range f.w {
		if b&(1<<k) == 0 {
			continue
		}
		if start, served := f.window(k); !served && (best < 0 || start+f.period[k] < bestEnd) {
			best, bestEnd = k, start+f.period[k]
		}
	}
	return best
}

func (f *spareOnly) Peek(b uint64) (int, bool) {
	b &= 1<<len(f.w) - 1
	if b == 0 {
		return 0, false
	}
	if k := f.due(b); k >= 0 {
		return k, true
	}
	best := -1
	for k := range f.w {
		if b&(1<<k) != 0 && (best < 0 || f.cur[k]+f.w[k] > f.cur[best]+f.w[best]) {
			best = k
		}
	}
	return best, true
}

func (f *spareOnly) Commit(k int, b uint64) {
	owed := f.due(b) >= 0
	for j := range f.w {
		if b&(1<<j) != 0 {
			f.start[j], f.served[j] = f.window(j)
		}
	}
	if owed && !f.served[k] {
		f.served[k] = true
	} else {
		var total int64
		for j := range f.w {
			if b&(1<<j) == 0 {
				f.cur[j] = 0
				continue
			}
			f.cur[j] += f.w[j]
			total += f.w[j]
		}
		f.cur[k] -= total
	}
	f.was = b
	f.n++
}
