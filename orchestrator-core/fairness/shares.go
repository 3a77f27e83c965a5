package fairness

// Shares counts admissions and dispatches per class (OC-CORE-1007). It is
// not safe for concurrent use; the Pool guards it.
type Shares struct {
	admitted, dispatched []uint64
	admTotal, disTotal   uint64
}

// NewShares returns zeroed counters for n classes.
func NewShares(n int) *Shares {
	return &Shares{admitted: make([]uint64, n), dispatched: make([]uint64, n)}
}

// Admit counts an admission of class k.
func (s *Shares) Admit(k int) { s.admitted[k]++; s.admTotal++ }

// Dispatch counts a dispatch of class k.
func (s *Shares) Dispatch(k int) { s.dispatched[k]++; s.disTotal++ }

// Admitted returns the admissions of class k.
func (s *Shares) Admitted(k int) uint64 { return s.admitted[k] }

// Dispatched returns the dispatches of class k.
func (s *Shares) Dispatched(k int) uint64 { return s.dispatched[k] }

// AdmissionShare returns class k's fraction of all admissions, 0 before
// the first admission. This is the admission_share gauge.
func (s *Shares) AdmissionShare(k int) float64 { return ratio(s.admitted[k], s.admTotal) }

// DispatchShare returns class k's fraction of all dispatches, 0 before the
// first dispatch.
func (s *Shares) DispatchShare(k int) float64 { return ratio(s.dispatched[k], s.disTotal) }

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
