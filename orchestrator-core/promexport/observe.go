package promexport

import (
	"strconv"

	"orchcore.dev/orchestrator-core/observe"
)

// Share stages: the label values of admission_share.
const (
	stageAdmitted   = "admitted"
	stageDispatched = "dispatched"
)

// Observe updates the metrics an event feeds (see the contract's "source"
// of each metric).
func (x *Exporter) Observe(e observe.Event) {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch e.Kind {
	case observe.Admitted:
		x.add("tasks_enqueued_total", 1, e.PoolID, e.Class)
		x.depth(e)
		x.share(e, stageAdmitted)
	case observe.Rejected:
		x.add("tasks_rejected_total", 1, e.Engine, e.Reason)
		if e.Policy != "" {
			x.add("admission_backpressure_events_total", 1, e.Engine, e.Policy)
		}
		x.refreshDepth(e)
	case observe.Dropped:
		x.add("tasks_dropped_total", 1, e.PoolID, e.Class, e.Reason)
		x.add("admission_backpressure_events_total", 1, e.Engine, e.Policy)
		x.depth(e)
	case observe.Dispatched:
		x.add("tasks_started_total", 1, e.PoolID, e.Class)
		x.add("placement_decisions_total", 1, "assigned", flag(e.Pinned), flag(e.Fallback))
		x.placement(e)
		x.depth(e)
		if e.Attempt <= 1 { // a retry is not a new dispatch of the task
			x.share(e, stageDispatched)
		}
	case observe.NoCapacity:
		x.add("placement_decisions_total", 1, e.Reason, flag(e.Pinned), flag(false))
		x.placement(e)
	case observe.Token:
		if e.FirstToken || e.FirstTokenMs > 0 {
			x.observe("latency_first_token_ms", float64(e.FirstTokenMs), e.PoolID, e.Engine)
		}
		x.add("tokens_out_total", float64(e.Tokens), e.PoolID, e.Engine)
	case observe.Retried:
		x.add("tasks_retried_total", 1, e.PoolID, e.Reason)
	case observe.Canceled:
		x.add("tasks_canceled_total", 1, e.PoolID, e.Class)
		x.depth(e)
	case observe.Completed:
		x.add("tasks_completed_total", 1, e.PoolID, e.Class)
		x.observe("latency_decode_ms", float64(e.DecodeTimeMs), e.PoolID, e.Engine)
		x.add("tokens_in_total", float64(e.TokensIn), e.PoolID, e.Engine)
	case observe.Failed:
		x.add("tasks_failed_total", 1, e.PoolID, e.Reason)
	case observe.TimedOut:
		x.add("watchdog_aborts_total", 1, e.PoolID, e.Reason)
	case observe.Expired:
		x.add("tasks_expired_total", 1, e.PoolID, e.Class, e.Reason)
		x.depth(e)
	case observe.Preempted:
		x.add("tasks_preempted_total", 1, e.PoolID, e.Class)
		x.depth(e) // a task put back is queued again
	case observe.Replica:
		if s := e.Sample; s != nil {
			x.set("gpu_utilization", s.GPUUtilization, e.PoolID, e.ReplicaID)
			x.set("vram_used_bytes", float64(s.VRAMUsedBytes), e.PoolID, e.ReplicaID)
			x.set("kv_cache_usage_ratio", s.KVCacheUsage, e.PoolID, e.ReplicaID)
		}
	case observe.Preload:
		x.add("preload_outcomes_total", 1, e.PoolID, e.Reason)
	}
}

func flag(b bool) string { return strconv.FormatBool(b) }

// depth sets the class queue gauge from the depth the core reports after
// the event.
func (x *Exporter) depth(e observe.Event) {
	s := x.mu.byName["queue_depth"]
	vals := x.fold(s, []string{e.PoolID, e.Class})
	x.mu.depths[[2]string{vals[0], vals[1]}] = true
	s.gauge.WithLabelValues(vals...).Set(float64(e.ClassDepth))
}

// refreshDepth sets the class queue gauge only when the class already has
// an unfolded one: a Rejected event may end a queued task (a pin refused
// at placement), but most refuse a task that never queued, possibly of an
// unknown class, which must not open a series.
func (x *Exporter) refreshDepth(e observe.Event) {
	if x.mu.depths[[2]string{e.PoolID, e.Class}] {
		x.depth(e)
	}
}

// placement records the candidate counts of a placement decision.
func (x *Exporter) placement(e observe.Event) {
	p := e.Placement
	if p == nil {
		return
	}
	x.observe("placement_candidates_considered", float64(p.CandidatesTotal), e.PoolID)
	for _, rc := range p.Filtered {
		x.add("placement_candidates_filtered_total", float64(rc.Count), e.PoolID, rc.Reason)
	}
}

// share counts the event for its stage and sets the share gauge of every
// class of the pool, since each share moves when the pool total does.
func (x *Exporter) share(e observe.Event, stage string) {
	s := x.mu.byName["admission_share"]
	vals := x.fold(s, []string{e.PoolID, e.Class, stage})
	pool, class := vals[0], vals[1]
	byPool := x.mu.shares[stage]
	if byPool == nil {
		byPool = map[string]map[string]float64{}
		x.mu.shares[stage] = byPool
	}
	counts := byPool[pool]
	if counts == nil {
		counts = map[string]float64{}
		byPool[pool] = counts
	}
	counts[class]++
	var total float64
	for _, n := range counts {
		total += n
	}
	for c, n := range counts {
		s.gauge.WithLabelValues(pool, c, stage).Set(n / total)
	}
}

// add increments a counter; negative amounts are ignored.
func (x *Exporter) add(name string, v float64, vals ...string) {
	if v < 0 {
		return
	}
	s := x.mu.byName[name]
	s.counter.WithLabelValues(x.fold(s, vals)...).Add(v)
}

func (x *Exporter) set(name string, v float64, vals ...string) {
	s := x.mu.byName[name]
	s.gauge.WithLabelValues(x.fold(s, vals)...).Set(v)
}

func (x *Exporter) observe(name string, v float64, vals ...string) {
	s := x.mu.byName[name]
	s.hist.WithLabelValues(x.fold(s, vals)...).Observe(v)
}

// fold replaces, in place, each value that would exceed its label's
// budget by the fold value, and counts it.
func (x *Exporter) fold(s *series, vals []string) []string {
	for i, v := range vals {
		seen := s.seen[i]
		if seen[v] {
			continue
		}
		if len(seen) < s.budgets[i] {
			seen[v] = true
			continue
		}
		vals[i] = x.contract.Fold.Value
		x.overflow.WithLabelValues(s.name, s.labels[i]).Inc()
	}
	return vals
}
