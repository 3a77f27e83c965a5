package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
)

// obs is the observability part of a scenario: extra observers of the
// pool, a JSON log buffer and a metrics registry.
type obs struct {
	extra    []observe.Observer
	logs     bytes.Buffer
	metrics  *prometheus.Registry
	exporter *promexport.Exporter
}

func (w *world) observeSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the pool logs JSON records$`, func() error {
		h := slog.NewJSONHandler(&w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})
		return w.addObserver(observe.NewLogger(slog.New(h)))
	})
	sc.Step(`^(the pool reports to )?a fresh metrics registry$`, func(pool string) error {
		w.metrics = prometheus.NewRegistry()
		x, err := promexport.New(w.metrics)
		if err != nil {
			return err
		}
		w.exporter = x
		if pool == "" {
			return nil
		}
		return w.addObserver(x)
	})
	sc.Step(`^replica (\w+) of pool (\w+) reports GPU utilization ([\d.]+), (\d+) bytes of VRAM used and KV cache usage ([\d.]+)$`,
		func(r, p string, gpu float64, vram int64, kv float64) error {
			return w.toExporter(observe.Event{Kind: observe.Replica, PoolID: p, ReplicaID: r,
				Sample: &observe.Sample{GPUUtilization: gpu, VRAMUsedBytes: vram, KVCacheUsage: kv}})
		})
	sc.Step(`^job (\w+) of pool (\w+) streams its first token after (\d+) ms$`, func(j, p string, ms int64) error {
		return w.toExporter(observe.Event{Kind: observe.Token, PoolID: p, JobID: j, TaskID: j, Engine: "llamacpp", Tokens: 1, FirstTokenMs: ms})
	})
	sc.Step(`^a preload on replica (\w+) of pool (\w+) ends (\w+)$`, func(r, p, outcome string) error {
		return w.toExporter(observe.Event{Kind: observe.Preload, PoolID: p, ReplicaID: r, Reason: outcome})
	})
	sc.Step(`^the (\w+) record of task (\w+) carries the fields:$`, w.recordFields)
	sc.Step(`^the (\w+) record of task (\w+) has (.+)$`, w.recordValues)
	sc.Step(`^the registry holds:$`, w.registryHolds)
}

// toExporter hands an engine-side event to the exporter, as the dispatcher
// does for what the pool does not see.
func (w *world) toExporter(e observe.Event) error {
	if w.exporter == nil {
		return fmt.Errorf("no metrics registry")
	}
	w.exporter.Observe(e)
	return nil
}

func (w *world) addObserver(o observe.Observer) error {
	return w.configure(func(*core.Config) { w.extra = append(w.extra, o) })
}

// record finds the JSON log record of one event of one task.
func (w *world) record(event, id string) (map[string]any, error) {
	for _, line := range bytes.Split(w.logs.Bytes(), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			return nil, fmt.Errorf("a log line is not JSON: %v: %s", err, line)
		}
		if m["event"] == event && m["task_id"] == id {
			return m, nil
		}
	}
	return nil, fmt.Errorf("no %s record for task %s in the log:\n%s", event, id, w.logs.String())
}

func (w *world) recordFields(event, id string, t *godog.Table) error {
	m, err := w.record(event, id)
	if err != nil {
		return err
	}
	var missing []string
	for _, r := range rows(t) {
		if _, ok := m[r["field"]]; !ok {
			missing = append(missing, r["field"])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the %s record of %s lacks %v: %v", event, id, missing, m)
	}
	return nil
}

// recordValues checks "session_id s1, pool_id p1 and a job_id": a field
// with its value, or "a FIELD" for any non-empty value.
func (w *world) recordValues(event, id, spec string) error {
	m, err := w.record(event, id)
	if err != nil {
		return err
	}
	for _, item := range list(spec) {
		if f, ok := strings.CutPrefix(item, "a "); ok {
			if v, ok := m[f]; !ok || v == "" || v == nil {
				return fmt.Errorf("the %s record of %s has no %s: %v", event, id, f, m)
			}
			continue
		}
		f, want, ok := strings.Cut(item, " ")
		if !ok {
			return fmt.Errorf("cannot read %q; write FIELD VALUE or a FIELD", item)
		}
		if got := fmt.Sprint(m[f]); got != want {
			return fmt.Errorf("the %s record of %s: want %s=%s, got %q", event, id, f, want, got)
		}
	}
	return nil
}

// registryHolds compares gathered samples with the table: for each row,
// the series of the metric whose labels include the listed ones.
func (w *world) registryHolds(t *godog.Table) error {
	if w.metrics == nil {
		return fmt.Errorf("the pool reports to no registry")
	}
	fams, err := w.metrics.Gather()
	if err != nil {
		return err
	}
	for _, r := range rows(t) {
		want, err := strconv.ParseFloat(r["value"], 64)
		if err != nil {
			return err
		}
		got, ok := sample(fams, r["metric"], labelSet(r["labels"]))
		if !ok {
			return fmt.Errorf("no series %s{%s}", r["metric"], r["labels"])
		}
		if got != want {
			return fmt.Errorf("%s{%s}: want %v, got %v", r["metric"], r["labels"], want, got)
		}
	}
	return nil
}

func labelSet(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range list(s) {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func sample(fams []*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !hasLabels(m, labels) {
				continue
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue(), true
			case m.Gauge != nil:
				return m.Gauge.GetValue(), true
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, lp := range m.GetLabel() {
		if v, ok := want[lp.GetName()]; ok {
			if v != lp.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(want)
}
