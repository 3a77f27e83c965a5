package check

import (
	"sort"

	"orchcore.dev/test-harness/chaos/history"
)

// Replicas checks that no job was dispatched to a replica between the
// runner's observation of it as down or not Ready and its next
// observation as Ready (OC-CHAOS-8004). It reports the detection lag of
// each fault that takes a replica out (kill, pause, cut, flap): the time
// from the fault's start to the first such observation of its target.
func Replicas(h *history.History) Verdict {
	v := newVerdict("replicas", "OC-CHAOS-8004")
	type bad struct {
		obs string
		seq int64
	}
	out := map[string]*bad{}
	type pending struct {
		fault, kind string
		ms          int64
	}
	waiting := map[string][]pending{}
	var lags []int64
	lagBy := map[string]int64{}
	dispatches := 0
	for i := range h.Records {
		r := &h.Records[i]
		switch {
		case r.Type == history.KindReplica:
			switch r.Event {
			case history.ObsDown, history.ObsNotReady:
				if out[r.Replica] == nil {
					out[r.Replica] = &bad{r.Event, r.Seq}
				}
				for _, p := range waiting[r.Replica] {
					lag := r.Ms - p.ms
					lags = append(lags, lag)
					lagBy[p.fault] = lag
				}
				delete(waiting, r.Replica)
			case history.ObsReady:
				delete(out, r.Replica)
			}
		case r.Type == history.KindFault && r.Event == history.FaultStart:
			switch r.Kind {
			case "kill", "pause", "cut", "flap", "restart":
				waiting[r.Replica] = append(waiting[r.Replica], pending{r.Fault, r.Kind, r.Ms})
			}
		case isCore(r, "dispatched"):
			dispatches++
			if b := out[r.Replica]; b != nil {
				v.failf("task %s (job %s) dispatched to replica %s (record %d) after it was observed %s (record %d) and before it was observed ready again",
					r.Task, r.Job, r.Replica, r.Seq, b.obs, b.seq)
			}
		}
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	v.Figures["dispatches"] = dispatches
	v.Figures["detected_faults"] = len(lags)
	undetected := []string{}
	for _, ps := range waiting {
		for _, p := range ps {
			undetected = append(undetected, p.fault)
		}
	}
	sort.Strings(undetected)
	v.Figures["undetected_faults"] = undetected
	if len(lags) > 0 {
		v.Figures["detection_lag_ms"] = map[string]int64{
			"min": lags[0], "p50": lags[len(lags)/2], "max": lags[len(lags)-1],
		}
		v.Figures["detection_lag_by_fault_ms"] = lagBy
	}
	return *v
}
