package promexport_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
)

// Budgets written out from the contract's label table.
const (
	reasonBudget  = 16
	replicaBudget = 256
	poolBudget    = 64
)

func TestCardinalityBudgetsHold(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	c := contract(t)
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1000
	for i := range n {
		x.Observe(observe.Event{Kind: observe.Rejected, Engine: "llamacpp", Reason: fmt.Sprintf("R%04d", i)})
		x.Observe(observe.Event{Kind: observe.Replica, PoolID: fmt.Sprintf("pool-%04d", i%100),
			ReplicaID: fmt.Sprintf("r%04d", i), Sample: &observe.Sample{GPUUtilization: 0.5}})
	}
	if errs := c.WithinBudgets(families(t, reg)); errs != nil {
		t.Fatalf("budgets broken: %v", errs)
	}

	// reason: the first 16 values keep their series, the rest fold.
	sum, series := total(t, reg, "tasks_rejected_total", nil)
	if sum != n || series != reasonBudget+1 {
		t.Errorf("tasks_rejected_total: %v over %d series, want %d over %d", sum, series, n, reasonBudget+1)
	}
	if got, _ := total(t, reg, "tasks_rejected_total", map[string]string{"reason": "R0015"}); got != 1 {
		t.Errorf("R0015 (16th value) = %v, want its own series with 1", got)
	}
	if got, _ := total(t, reg, "tasks_rejected_total", map[string]string{"reason": "__other__"}); got != n-reasonBudget {
		t.Errorf("__other__ = %v, want %d", got, n-reasonBudget)
	}
	over := func(metric, label string) float64 {
		v, _ := total(t, reg, "metrics_label_overflow_total", map[string]string{"metric": metric, "label": label})
		return v
	}
	if got := over("tasks_rejected_total", "reason"); got != n-reasonBudget {
		t.Errorf("overflow{tasks_rejected_total,reason} = %v, want %d", got, n-reasonBudget)
	}

	// replica_id and pool_id fold independently on each gauge.
	if _, series := total(t, reg, "gpu_utilization", map[string]string{"replica_id": "__other__"}); series == 0 {
		t.Error("gpu_utilization: no __other__ replica series after 1000 replicas")
	}
	if got := over("gpu_utilization", "replica_id"); got != n-replicaBudget {
		t.Errorf("overflow{gpu_utilization,replica_id} = %v, want %d", got, n-replicaBudget)
	}
	// Pools are i%100: pools 0..63 fill the budget in the first lap, and
	// every event of pools 64..99 folds, 36 pools x 10 laps.
	if got := over("gpu_utilization", "pool_id"); got != 360 {
		t.Errorf("overflow{gpu_utilization,pool_id} = %v, want 360", got)
	}
	if _, series := total(t, reg, "gpu_utilization", nil); series > (poolBudget+1)*(replicaBudget+1) {
		t.Errorf("gpu_utilization: %d series, more than the budgets allow", series)
	}
	if got := over("vram_used_bytes", "engine"); got != 0 {
		t.Errorf("an overflow series for a label the metric lacks: %v", got)
	}
}

// The checker itself fails when a registry breaks a budget.
func TestWithinBudgetsCatchesUnfoldedRegistry(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	c := contract(t)
	reg := prometheus.NewRegistry()
	raw := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tasks_rejected_total", Help: "x"}, []string{"engine", "reason"})
	reg.MustRegister(raw)
	for i := range reasonBudget + 1 {
		raw.WithLabelValues("e", fmt.Sprint("R", i)).Inc()
	}
	errs := c.WithinBudgets(families(t, reg))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `label "reason" has 17 values, budget 16`) {
		t.Fatalf("WithinBudgets = %v, want the reason budget reported", errs)
	}
}

// Folding against a plain model: the first `budget` distinct values of a
// label keep their series; every later value's observations go to
// __other__ and are counted as overflow.
func TestFoldingMatchesModel(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	rapid.Check(t, func(rt *rapid.T) {
		reg := prometheus.NewRegistry()
		x, err := promexport.New(reg)
		if err != nil {
			rt.Fatal(err)
		}
		var kept []string // reasons with their own series, in arrival order
		counts := map[string]float64{}
		folded := 0.0
		rt.Repeat(map[string]func(*rapid.T){
			"fail": func(rt *rapid.T) {
				r := fmt.Sprint("R", rapid.IntRange(0, 30).Draw(rt, "reason"))
				x.Observe(observe.Event{Kind: observe.Failed, PoolID: "p", Reason: r})
				key := r
				if !slices.Contains(kept, r) {
					if len(kept) < reasonBudget {
						kept = append(kept, r)
					} else {
						key = "__other__"
						folded++
					}
				}
				counts[key]++
			},
			"": func(rt *rapid.T) {
				got := byLabel(t, reg, "tasks_failed_total", "reason")
				if len(got) != len(counts) {
					rt.Fatalf("series %v, model %v", got, counts)
				}
				for r, want := range counts {
					if got[r] != want {
						rt.Fatalf("tasks_failed_total{reason=%q} = %v, model %v", r, got[r], want)
					}
				}
				over := byLabel(t, reg, "metrics_label_overflow_total", "metric")
				if over["tasks_failed_total"] != folded {
					rt.Fatalf("overflow = %v, model %v", over["tasks_failed_total"], folded)
				}
			},
		})
	})
}
