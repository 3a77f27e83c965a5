package check

import (
	"fmt"

	"orchcore.dev/test-harness/chaos/history"
)

// Verdict statuses.
const (
	Pass = "pass"
	Fail = "fail"
)

// Verdict is one invariant's result.
type Verdict struct {
	// Name is the invariant (lost, fairness, backoff, replicas, faults,
	// validity); Reqs the requirement ids it proves.
	Name   string   `json:"name"`
	Reqs   []string `json:"reqs"`
	Status string   `json:"status"`
	// Findings name each offending task or record; at most MaxFindings
	// are kept, Omitted counts the rest.
	Findings []string `json:"findings,omitempty"`
	Omitted  int      `json:"omitted,omitempty"`
	// Figures are the measurements the verdict rests on.
	Figures map[string]any `json:"figures,omitempty"`
}

// MaxFindings bounds the findings kept per verdict.
const MaxFindings = 50

func newVerdict(name string, reqs ...string) *Verdict {
	return &Verdict{Name: name, Reqs: reqs, Status: Pass, Figures: map[string]any{}}
}

func (v *Verdict) failf(format string, a ...any) {
	v.Status = Fail
	if len(v.Findings) >= MaxFindings {
		v.Omitted++
		return
	}
	v.Findings = append(v.Findings, fmt.Sprintf(format, a...))
}

// All runs every checker over h, in a fixed order.
func All(h *history.History) []Verdict {
	fns := []func(*history.History) Verdict{Lost, Fairness, Backoff, Replicas, Faults, Validity}
	out := make([]Verdict, 0, len(fns))
	for _, f := range fns {
		out = append(out, f(h))
	}
	return out
}

// Failed reports whether any verdict failed.
func Failed(vs []Verdict) bool {
	for _, v := range vs {
		if v.Status != Pass {
			return true
		}
	}
	return false
}

// Terminal core events.
var terminal = map[string]bool{
	"completed": true, "canceled": true, "rejected": true,
	"dropped": true, "timed_out": true, "failed": true, "expired": true,
}

func isCore(r *history.Record, ev string) bool {
	return r.Type == history.KindCore && r.Event == ev
}
