package metrics

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Family is a metric family as a registry exposes it, independent of any
// client library.
type Family struct {
	Name   string
	Type   string // counter, gauge, histogram or whatever the registry says
	Series []Series
}

// Series is one labelled series of a family.
type Series struct {
	Labels map[string]string
	// Buckets are a histogram series' upper bounds without +Inf.
	Buckets []float64
}

// Conform lints observed families against the contract: every contract
// metric is present with its type, every series has exactly its label
// names and (for histograms) its buckets, and nothing outside the contract
// is exposed. Problems come sorted.
func (c *Contract) Conform(got []Family) []error {
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf(format, args...))
	}
	byName := map[string]Family{}
	for _, f := range got {
		if _, dup := byName[f.Name]; dup {
			bad("metric %q: exposed twice", f.Name)
		}
		byName[f.Name] = f
		if _, ok := c.Metric(f.Name); !ok {
			bad("metric %q: not in the contract", f.Name)
		}
	}
	for _, m := range c.Metrics {
		f, ok := byName[m.Name]
		if !ok {
			bad("metric %q: missing", m.Name)
			continue
		}
		if f.Type != m.Type {
			bad("metric %q: type %s, contract says %s", m.Name, f.Type, m.Type)
		}
		want := slices.Sorted(slices.Values(m.Labels))
		for _, s := range f.Series {
			names := make([]string, 0, len(s.Labels))
			for k := range s.Labels {
				names = append(names, k)
			}
			sort.Strings(names)
			if !slices.Equal(names, want) {
				bad("metric %q: labels [%s], contract says [%s]", m.Name,
					strings.Join(names, ","), strings.Join(want, ","))
			}
			if m.Type == Histogram && !slices.Equal(s.Buckets, m.Buckets) {
				bad("metric %q: buckets %v, contract says %v", m.Name, s.Buckets, m.Buckets)
			}
		}
	}
	return sorted(errs)
}

// WithinBudgets checks that no family carries more distinct values of a
// label than the label's budget, not counting the fold value.
func (c *Contract) WithinBudgets(got []Family) []error {
	var errs []string
	for _, f := range got {
		values := map[string]map[string]bool{}
		for _, s := range f.Series {
			for k, v := range s.Labels {
				if v == c.Fold.Value {
					continue
				}
				if values[k] == nil {
					values[k] = map[string]bool{}
				}
				values[k][v] = true
			}
		}
		for label, vs := range values {
			budget := c.Budget(label)
			if len(vs) > budget {
				errs = append(errs, fmt.Sprintf("metric %q: label %q has %d values, budget %d",
					f.Name, label, len(vs), budget))
			}
		}
	}
	return sorted(errs)
}

func sorted(msgs []string) []error {
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = fmt.Errorf("%s", m)
	}
	return errs
}
