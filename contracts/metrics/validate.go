package metrics

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
)

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// abbreviated are name parts that promlint reports as abbreviated units;
// a metric may use one only as a listed unit exception.
var abbreviated = map[string]bool{
	"s": true, "ms": true, "us": true, "ns": true, "sec": true,
	"b": true, "kb": true, "mb": true, "gb": true, "tb": true, "pb": true,
	"m": true, "h": true, "d": true,
}

// Validate reports every way the contract breaks its own rules, joined
// into one error, or nil.
func (c *Contract) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if c.Version < 1 {
		bad("version %d: want 1 or more", c.Version)
	}

	budgets := map[string]int{}
	for _, l := range c.Labels {
		switch {
		case !snake.MatchString(l.Name):
			bad("label %q: not snake_case", l.Name)
		case l.Name == "le" || l.Name == "quantile":
			bad("label %q: reserved by Prometheus", l.Name)
		}
		if _, dup := budgets[l.Name]; dup {
			bad("label %q: declared twice", l.Name)
		}
		if l.Budget < 1 {
			bad("label %q: budget %d, want 1 or more", l.Name, l.Budget)
		}
		budgets[l.Name] = l.Budget
	}

	used := map[string]bool{}
	seen := map[string]bool{}
	for _, m := range c.Metrics {
		if seen[m.Name] {
			bad("metric %q: declared twice", m.Name)
		}
		seen[m.Name] = true
		errs = append(errs, c.validateMetric(m, budgets)...)
		for _, l := range m.Labels {
			used[l] = true
		}
	}
	for _, l := range c.Labels {
		if !used[l.Name] {
			bad("label %q: used by no metric", l.Name)
		}
	}

	for _, e := range c.UnitExceptions {
		if !seen[e.Name] {
			bad("unit exception %q: no such metric", e.Name)
		}
		if strings.TrimSpace(e.Why) == "" {
			bad("unit exception %q: no reason given", e.Name)
		}
	}

	if c.Fold.Value == "" {
		bad("fold: no value")
	}
	if f, ok := c.Metric(c.Fold.Metric); !ok {
		bad("fold: metric %q not in the contract", c.Fold.Metric)
	} else if f.Type != Counter || strings.Join(f.Labels, ",") != "metric,label" {
		bad("fold: metric %q must be a counter labelled [metric, label]", f.Name)
	}
	return errors.Join(errs...)
}

func (c *Contract) validateMetric(m Metric, budgets map[string]int) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("metric %q: "+format, append([]any{m.Name}, args...)...))
	}
	if !snake.MatchString(m.Name) {
		bad("not snake_case")
	}
	if m.Help == "" {
		bad("no help text")
	}
	if m.Unit == "" {
		bad("no unit")
	}
	for _, part := range strings.Split(m.Name, "_") {
		if abbreviated[part] && !c.Excepted(m.Name) {
			bad("abbreviated unit %q and no unit exception", part)
		}
	}
	total := strings.HasSuffix(m.Name, "_total")
	switch m.Type {
	case Counter:
		if !total {
			bad("counter without the _total suffix")
		}
	case Gauge, Histogram:
		if total {
			bad("%s with the _total suffix", m.Type)
		}
	default:
		bad("type %q: want counter, gauge or histogram", m.Type)
	}
	if m.Type == Histogram {
		for _, s := range []string{"_bucket", "_sum", "_count"} {
			if strings.HasSuffix(m.Name, s) {
				bad("histogram name ends in %s", s)
			}
		}
		if len(m.Buckets) == 0 {
			bad("histogram without buckets")
		}
		for i, b := range m.Buckets {
			if math.IsNaN(b) || math.IsInf(b, 0) {
				bad("bucket %d is not finite", i)
			} else if i > 0 && b <= m.Buckets[i-1] {
				bad("buckets not strictly increasing at %d (%g after %g)", i, b, m.Buckets[i-1])
			}
		}
	} else if len(m.Buckets) > 0 {
		bad("buckets on a %s", m.Type)
	}
	dup := map[string]bool{}
	for _, l := range m.Labels {
		if dup[l] {
			bad("label %q twice", l)
		}
		dup[l] = true
		if _, ok := budgets[l]; !ok {
			bad("label %q has no budget", l)
		}
	}
	return errs
}
