package check

import (
	"fmt"

	"orchcore.dev/test-harness/chaos/history"
)

// PlannedFault is a fault of the plan as the header carries it.
type PlannedFault struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Target  string `json:"target"`
	StartMs int64  `json:"start_ms"`
	Dur     int64  `json:"duration_ms"`
}

// Faults checks that every fault of the plan started, was verified to
// have taken effect and ended (healed): an unverified fault makes the run
// invalid (OC-CHAOS-8005, 8007).
func Faults(h *history.History) Verdict {
	v := newVerdict("faults", "OC-CHAOS-8005", "OC-CHAOS-8007")
	type state struct {
		kind, target      string
		started, ended    bool
		verified, refuted bool
		detail            string
	}
	fs := map[string]*state{}
	var order []string
	get := func(id string) *state {
		s := fs[id]
		if s == nil {
			s = &state{}
			fs[id] = s
			order = append(order, id)
		}
		return s
	}
	for _, p := range PlanFaults(h) {
		s := get(p.ID)
		s.kind, s.target = p.Kind, p.Target
	}
	for i := range h.Records {
		r := &h.Records[i]
		if r.Type != history.KindFault {
			continue
		}
		s := get(r.Fault)
		if s.kind == "" {
			s.kind, s.target = r.Kind, r.Replica
		}
		switch r.Event {
		case history.FaultStart:
			s.started = true
		case history.FaultEnd:
			s.ended = true
		case history.FaultVerify:
			if r.OK != nil && *r.OK {
				s.verified = true
			} else {
				s.refuted = true
				s.detail = r.Detail
			}
		}
	}
	kinds := map[string]int{}
	for _, id := range order {
		s := fs[id]
		name := fmt.Sprintf("fault %s (%s %s)", id, s.kind, s.target)
		switch {
		case !s.started && h.Truncated == "":
			v.failf("%s was planned but never injected", name)
		case !s.started:
		case s.refuted:
			v.failf("%s did not take effect: %s", name, s.detail)
		case !s.verified:
			v.failf("%s was injected but never verified", name)
		case !s.ended && h.Truncated == "":
			v.failf("%s was never healed", name)
		}
		if s.started {
			kinds[s.kind]++
		}
	}
	v.Figures["injected_by_kind"] = kinds
	v.Figures["planned"] = len(order)
	return *v
}

// PlanFaults returns the fault timeline stored in the header's plan.
func PlanFaults(h *history.History) []PlannedFault {
	m, ok := h.Header.Plan.(map[string]any)
	if !ok {
		return nil
	}
	list, _ := m["faults"].([]any)
	var out []PlannedFault
	for _, x := range list {
		f, _ := x.(map[string]any)
		num := func(k string) int64 { n, _ := f[k].(float64); return int64(n) }
		str := func(k string) string { s, _ := f[k].(string); return s }
		out = append(out, PlannedFault{str("id"), str("kind"), str("target"), num("start_ms"), num("duration_ms")})
	}
	return out
}
