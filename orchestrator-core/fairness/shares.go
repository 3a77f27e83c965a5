package fairness

// Shares counts admissions and dispatches per class (OC-CORE-1007). It is
// not safe for concurrent use; the Pool guards it. A class index outside
// 0..n-1 is ignored by Admit and Dispatch and reads as 0.
type Shares struct {
	admitted, dispatched []uint64
	admTotal, disTotal   uint64
}

// NewShares returns zeroed counters for n classes.
func NewShares(n int) *Shares {
	return &Shares{admitted: make([]uint64, n), dispatched: make([]uint64, n)}
}

// Admit counts an admission of class k.
func (s *Shares) Admit(k int) {
	if k >= 0 && k < len(s.admitted) {
		s.admitted[k]++
		s.admTotal++
	}
}

// Dispatch counts a dispatch of class k.
func (s *Shares) Dispatch(k int) {
	if k >= 0 && k < len(s.dispatched) {
		s.dispatched[k]++
		s.disTotal++
	}
}

// Admitted returns the admissions of class k.
func (s *Shares) Admitted(k int) uint64 { return at(s.admitted, k) }

// Dispatched returns the dispatches of class k.
func (s *Shares) Dispatched(k int) uint64 { return at(s.dispatched, k) }

// AdmissionShare returns class k's fraction of all admissions, 0 before
// the first admission. This is the admission_share gauge.
func (s *Shares) AdmissionShare(k int) float64 { return ratio(at(s.admitted, k), s.admTotal) }

// DispatchShare returns class k's fraction of all dispatches, 0 before the
// first dispatch.
func (s *Shares) DispatchShare(k int) float64 { return ratio(at(s.dispatched, k), s.disTotal) }

func at(c []uint64, k int) uint64 {
	if k < 0 || k >= len(c) {
		return 0
	}
	return c[k]
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
