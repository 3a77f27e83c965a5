package promexport

import (
	"math"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"orchcore.dev/contracts/metrics"
)

// Families gathers g and describes what it exposes in the contract's
// terms, for [metrics.Contract.Conform] and
// [metrics.Contract.WithinBudgets].
func Families(g prometheus.Gatherer) ([]metrics.Family, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Family, 0, len(mfs))
	for _, mf := range mfs {
		f := metrics.Family{Name: mf.GetName(), Type: strings.ToLower(mf.GetType().String())}
		for _, m := range mf.GetMetric() {
			s := metrics.Series{Labels: map[string]string{}}
			for _, lp := range m.GetLabel() {
				s.Labels[lp.GetName()] = lp.GetValue()
			}
			if h := m.GetHistogram(); h != nil {
				for _, b := range h.GetBucket() {
					if ub := b.GetUpperBound(); !math.IsInf(ub, 1) {
						s.Buckets = append(s.Buckets, ub)
					}
				}
			}
			f.Series = append(f.Series, s)
		}
		out = append(out, f)
	}
	return out, nil
}
