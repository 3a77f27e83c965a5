package report

import (
	"sort"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/history"
)

// Version is the layout version of report.json.
const Version = 1

// Report is report.json.
type Report struct {
	Version    int                   `json:"version"`
	Result     string                `json:"result"` // pass, fail or incomplete
	Incomplete string                `json:"incomplete,omitempty"`
	Seed       uint64                `json:"seed"`
	Command    []string              `json:"command"`
	Provider   string                `json:"provider"`
	Config     Config                `json:"config"`
	Plan       any                   `json:"plan"`
	Faults     []Fault               `json:"faults"`
	Verdicts   []check.Verdict       `json:"verdicts"`
	Classes    map[string]*ClassStat `json:"classes"`
	// Series is per-second figures over the run.
	BucketMs int64    `json:"bucket_ms"`
	Series   []Bucket `json:"series"`
	// EndMs is the time of the last record.
	EndMs int64 `json:"end_ms"`
}

// Config is the run configuration as the header recorded it.
type Config struct {
	Fairness   string             `json:"fairness"`
	Classes    []history.Class    `json:"classes"`
	Retry      history.Retry      `json:"retry"`
	Replicas   []string           `json:"replicas"`
	DurationMs int64              `json:"duration_ms"`
	DrainMs    int64              `json:"drain_ms"`
	Rate       float64            `json:"rate"`
	Thresholds history.Thresholds `json:"thresholds"`
}

// Fault is one injected fault with its verification.
type Fault struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Target   string `json:"target"`
	Mode     string `json:"mode,omitempty"`
	StartMs  int64  `json:"start_ms"`
	EndMs    int64  `json:"end_ms"` // -1 if it never ended
	Verified bool   `json:"verified"`
	Detail   string `json:"verification"`
	// Dispatches counts the dispatches during the window.
	Dispatches int `json:"dispatches"`
}

// Quantiles of a latency in milliseconds.
type Quantiles struct {
	N   int   `json:"n"`
	P50 int64 `json:"p50"`
	P90 int64 `json:"p90"`
	P99 int64 `json:"p99"`
	Max int64 `json:"max"`
}

// ClassStat is one class's counts and latencies.
type ClassStat struct {
	Admitted   int            `json:"admitted"`
	Refused    int            `json:"refused"`
	Dispatched int            `json:"dispatched"`
	Terminal   map[string]int `json:"terminal"`
	QueueWait  Quantiles      `json:"queue_wait_ms"`
	TTFT       Quantiles      `json:"time_to_first_token_ms"`
	EndToEnd   Quantiles      `json:"end_to_end_ms"`
	// Throughput is completed tasks per second over the load phase.
	Throughput float64 `json:"throughput_per_sec"`
}

// Bucket is one time slice of the series.
type Bucket struct {
	AtMs int64 `json:"at_ms"`
	// Completed, P50 and P90 (end to end, ms) and Depth (queued at the
	// end of the slice) per class.
	Completed map[string]int   `json:"completed"`
	P50       map[string]int64 `json:"e2e_p50_ms"`
	P90       map[string]int64 `json:"e2e_p90_ms"`
	// QueueP90 and TTFTP90 are the p90 queue wait of the first
	// dispatches and time to first token in the slice, per class.
	QueueP90 map[string]int64 `json:"queue_wait_p90_ms"`
	TTFTP90  map[string]int64 `json:"ttft_p90_ms"`
	Depth    map[string]int   `json:"depth"`
}

// Build computes the report of h with its verdicts.
func Build(h *history.History, vs []check.Verdict) *Report {
	hd := h.Header
	r := &Report{
		Version: Version, Seed: hd.Seed, Command: hd.Command, Provider: hd.Provider, Plan: hd.Plan,
		Config: Config{Fairness: hd.Fairness, Classes: hd.Classes, Retry: hd.Retry, Replicas: hd.Replicas,
			DurationMs: hd.DurationMs, DrainMs: hd.DrainMs, Rate: hd.Rate, Thresholds: hd.Thresholds},
		Verdicts: vs, Classes: map[string]*ClassStat{}, BucketMs: 1000,
	}
	r.Result = check.Pass
	if check.Failed(vs) {
		r.Result = check.Fail
	}
	if h.Truncated != "" {
		r.Result, r.Incomplete = "incomplete", h.Truncated
	}
	for _, c := range hd.Classes {
		r.Classes[c.Name] = &ClassStat{Terminal: map[string]int{}}
	}
	admitMs := map[string]int64{}
	taskClass := map[string]string{}
	lat := map[string]*[3][]int64{}
	for name := range r.Classes {
		lat[name] = &[3][]int64{}
	}
	type done struct {
		ms, e2e int64
		class   string
	}
	var dones []done
	var waits, ttfts []done
	depth := map[string]int{}
	var depthAt []struct {
		ms    int64
		class string
		d     int
	}
	faults := map[string]*Fault{}
	var forder []string
	var dispMs []int64
	for i := range h.Records {
		x := &h.Records[i]
		r.EndMs = max(r.EndMs, x.Ms)
		if x.Type == history.KindFault {
			f := faults[x.Fault]
			if f == nil {
				f = &Fault{ID: x.Fault, Kind: x.Kind, Target: x.Replica, EndMs: -1}
				faults[x.Fault] = f
				forder = append(forder, x.Fault)
			}
			switch x.Event {
			case history.FaultStart:
				f.StartMs, f.Mode = x.Ms, x.Detail
			case history.FaultEnd:
				f.EndMs = x.Ms
			case history.FaultVerify:
				f.Verified, f.Detail = x.OK != nil && *x.OK, x.Detail
			}
			continue
		}
		if x.Type != history.KindCore {
			continue
		}
		c := r.Classes[x.Class]
		if c == nil {
			continue
		}
		switch x.Event {
		case "admitted":
			c.Admitted++
			admitMs[x.Task] = x.Ms
			taskClass[x.Task] = x.Class
		case "dispatched":
			c.Dispatched++
			dispMs = append(dispMs, x.Ms)
			if x.Attempt == 1 {
				lat[x.Class][0] = append(lat[x.Class][0], x.QueueMs)
				waits = append(waits, done{x.Ms, x.QueueMs, x.Class})
			}
		case "token":
			if x.FirstToken {
				lat[x.Class][1] = append(lat[x.Class][1], x.FirstTokenMs)
				ttfts = append(ttfts, done{x.Ms, x.FirstTokenMs, x.Class})
			}
		}
		if x.Event == "rejected" && (x.Reason == "QUEUE_FULL" || x.Reason == "QUOTA_EXCEEDED") {
			c.Refused++
		}
		if isTerminal(x.Event) {
			c.Terminal[x.Event]++
			if x.Event == "completed" {
				e2e := x.Ms - admitMs[x.Task]
				lat[x.Class][2] = append(lat[x.Class][2], e2e)
				dones = append(dones, done{x.Ms, e2e, x.Class})
			}
		}
		switch x.Event {
		case "admitted", "dispatched", "dropped", "canceled", "rejected", "expired":
			if x.Event == "dispatched" && x.Attempt != 1 {
				break
			}
			depth[x.Class] = x.Depth
			depthAt = append(depthAt, struct {
				ms    int64
				class string
				d     int
			}{x.Ms, x.Class, x.Depth})
		}
	}
	for _, id := range forder {
		f := faults[id]
		hi := f.EndMs
		if hi < 0 {
			hi = r.EndMs
		}
		for _, ms := range dispMs {
			if ms >= f.StartMs && ms <= hi {
				f.Dispatches++
			}
		}
		r.Faults = append(r.Faults, *f)
	}
	for name, c := range r.Classes {
		c.QueueWait, c.TTFT, c.EndToEnd = quant(lat[name][0]), quant(lat[name][1]), quant(lat[name][2])
		if hd.DurationMs > 0 {
			c.Throughput = float64(c.Terminal["completed"]) / (float64(hd.DurationMs) / 1000)
		}
	}
	// Series.
	n := int(r.EndMs/r.BucketMs) + 1
	r.Series = make([]Bucket, n)
	per := make([]map[string][]int64, n)
	perWait := make([]map[string][]int64, n)
	perTTFT := make([]map[string][]int64, n)
	for i := range r.Series {
		r.Series[i] = Bucket{AtMs: int64(i) * r.BucketMs, Completed: map[string]int{}, P50: map[string]int64{}, P90: map[string]int64{},
			QueueP90: map[string]int64{}, TTFTP90: map[string]int64{}, Depth: map[string]int{}}
		per[i], perWait[i], perTTFT[i] = map[string][]int64{}, map[string][]int64{}, map[string][]int64{}
	}
	for _, d := range waits {
		b := int(d.ms / r.BucketMs)
		perWait[b][d.class] = append(perWait[b][d.class], d.e2e)
	}
	for _, d := range ttfts {
		b := int(d.ms / r.BucketMs)
		perTTFT[b][d.class] = append(perTTFT[b][d.class], d.e2e)
	}
	for _, d := range dones {
		b := int(d.ms / r.BucketMs)
		r.Series[b].Completed[d.class]++
		per[b][d.class] = append(per[b][d.class], d.e2e)
	}
	cur := map[string]int{}
	j := 0
	for i := range r.Series {
		hi := int64(i+1) * r.BucketMs
		for j < len(depthAt) && depthAt[j].ms < hi {
			cur[depthAt[j].class] = depthAt[j].d
			j++
		}
		for name := range r.Classes {
			r.Series[i].Depth[name] = cur[name]
			if q := quant(per[i][name]); q.N > 0 {
				r.Series[i].P50[name], r.Series[i].P90[name] = q.P50, q.P90
			}
			if q := quant(perWait[i][name]); q.N > 0 {
				r.Series[i].QueueP90[name] = q.P90
			}
			if q := quant(perTTFT[i][name]); q.N > 0 {
				r.Series[i].TTFTP90[name] = q.P90
			}
		}
	}
	return r
}

func isTerminal(ev string) bool {
	switch ev {
	case "completed", "canceled", "rejected", "dropped", "timed_out", "failed", "expired":
		return true
	}
	return false
}

// quant returns nearest-rank quantiles.
func quant(xs []int64) Quantiles {
	if len(xs) == 0 {
		return Quantiles{}
	}
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(p float64) int64 {
		k := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(k, 0), len(s)-1)]
	}
	return Quantiles{N: len(s), P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: s[len(s)-1]}
}
