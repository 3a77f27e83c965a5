package promexport

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"orchcore.dev/contracts/metrics"
	"orchcore.dev/orchestrator-core/observe"
)

// Exporter is an [observe.Observer] that keeps the contract's metrics.
//
// Lock discipline: Observe holds mu for the whole event, so the fold
// bookkeeping (seen values per label) and the share counts move together;
// the helpers it calls (add, set, observe, fold, share, depth, placement)
// expect mu held. Collectors have their own locks and are only written
// under mu. byName is filled by New and read-only afterwards.
type Exporter struct {
	contract *metrics.Contract
	overflow *prometheus.CounterVec

	mu struct {
		sync.Mutex
		byName map[string]*series
		// shares counts events per stage, pool and class (folded values).
		shares map[string]map[string]map[string]float64
		// depths holds the (pool, class) label pairs, after folding, whose
		// queue_depth has been set; the budgets bound it.
		depths map[[2]string]bool
	}
}

var _ observe.Observer = (*Exporter)(nil)

// series is one contract metric: its collector and, per label, the values
// seen so far (guarded by Exporter.mu).
type series struct {
	name    string
	labels  []string
	budgets []int
	seen    []map[string]bool

	counter *prometheus.CounterVec
	gauge   *prometheus.GaugeVec
	hist    *prometheus.HistogramVec
}

type options struct {
	contract *metrics.Contract
}

// Option configures [New].
type Option func(*options)

// WithContract uses c instead of the contract embedded in
// orchcore.dev/contracts/metrics.
func WithContract(c *metrics.Contract) Option {
	return func(o *options) { o.contract = c }
}

// New builds every collector of the contract and registers it on reg.
// It fails when reg is nil, when the contract is invalid or differs from
// the metrics the exporter feeds, or when registration fails.
func New(reg prometheus.Registerer, opts ...Option) (*Exporter, error) {
	if reg == nil {
		return nil, errors.New("promexport: nil Registerer")
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	c := o.contract
	if c == nil {
		var err error
		if c, err = metrics.Load(); err != nil {
			return nil, err
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("promexport: %w", err)
	}
	if err := matches(c); err != nil {
		return nil, err
	}

	x := &Exporter{contract: c}
	x.mu.byName = map[string]*series{}
	x.mu.shares = map[string]map[string]map[string]float64{}
	x.mu.depths = map[[2]string]bool{}
	for _, m := range c.Metrics {
		s, err := build(c, m)
		if err != nil {
			return nil, err
		}
		if err := reg.Register(s.collector()); err != nil {
			return nil, fmt.Errorf("promexport: register %s: %w", m.Name, err)
		}
		x.mu.byName[m.Name] = s
	}
	x.overflow = x.mu.byName[c.Fold.Metric].counter
	// Overflow series start at zero, so "nothing folded" is visible.
	for _, m := range c.Metrics {
		if m.Name == c.Fold.Metric {
			continue
		}
		for _, l := range m.Labels {
			x.overflow.WithLabelValues(m.Name, l)
		}
	}
	return x, nil
}

// matches reports every difference between the contract and feeds.
func matches(c *metrics.Contract) error {
	var errs []error
	inContract := map[string]bool{}
	for _, m := range c.Metrics {
		inContract[m.Name] = true
		f, ok := feeds[m.Name]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("promexport: contract metric %s is not fed by the exporter", m.Name))
		case f.typ != m.Type:
			errs = append(errs, fmt.Errorf("promexport: %s is a %s in the contract, the exporter feeds a %s", m.Name, m.Type, f.typ))
		case !slices.Equal(f.labels, m.Labels):
			errs = append(errs, fmt.Errorf("promexport: %s has labels %v in the contract, the exporter feeds %v", m.Name, m.Labels, f.labels))
		}
	}
	var extra []string
	for name := range feeds {
		if !inContract[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		errs = append(errs, fmt.Errorf("promexport: exporter feeds %s, which the contract lacks", name))
	}
	if n, b := len(c.Metrics), c.Budget("metric"); n > b {
		errs = append(errs, fmt.Errorf("promexport: %d metrics exceed the metric label budget %d", n, b))
	}
	if n, b := len(c.Labels), c.Budget("label"); n > b {
		errs = append(errs, fmt.Errorf("promexport: %d labels exceed the label label budget %d", n, b))
	}
	return errors.Join(errs...)
}

func build(c *metrics.Contract, m metrics.Metric) (*series, error) {
	s := &series{name: m.Name, labels: m.Labels}
	for _, l := range m.Labels {
		s.budgets = append(s.budgets, c.Budget(l))
		s.seen = append(s.seen, map[string]bool{})
	}
	switch m.Type {
	case metrics.Counter:
		s.counter = prometheus.NewCounterVec(prometheus.CounterOpts{Name: m.Name, Help: m.Help}, m.Labels)
	case metrics.Gauge:
		s.gauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: m.Name, Help: m.Help}, m.Labels)
	case metrics.Histogram:
		s.hist = prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: m.Name, Help: m.Help, Buckets: slices.Clone(m.Buckets),
		}, m.Labels)
	default:
		return nil, fmt.Errorf("promexport: %s: unknown type %q", m.Name, m.Type)
	}
	return s, nil
}

func (s *series) collector() prometheus.Collector {
	switch {
	case s.counter != nil:
		return s.counter
	case s.gauge != nil:
		return s.gauge
	}
	return s.hist
}
