package core_test

import (
	"strings"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
)

// hist builds the events of one task from kind names.
func hist(id string, kinds ...observe.Kind) []observe.Event {
	var evs []observe.Event
	for _, k := range kinds {
		evs = append(evs, observe.Event{Kind: k, TaskID: id})
	}
	return evs
}

const (
	adm = observe.Admitted
	rej = observe.Rejected
	dis = observe.Dispatched
	can = observe.Canceled
	drp = observe.Dropped
	cpl = observe.Completed
	fal = observe.Failed
	tmo = observe.TimedOut
	ret = observe.Retried
	tok = observe.Token
)

func TestCheckHistoriesAcceptsAllowed(t *testing.T) {
	t.Attr("req", "OC-CORE-1008")
	good := [][]observe.Kind{
		{rej},
		{adm, can},
		{adm, drp},
		{adm, dis, cpl},
		{adm, dis, tok, tok, cpl},
		{adm, dis, fal},
		{adm, dis, tmo},
		{adm, dis, can},
		{adm, dis, ret, dis, cpl},
		{adm, dis, ret, dis, ret, dis, fal},
		{adm, dis, ret, can},
		{adm, rej},
		{adm, dis, ret, fal},
	}
	for _, h := range good {
		if err := core.CheckHistories(hist("t", h...)); err != nil {
			t.Errorf("%v rejected: %v", h, err)
		}
	}
}

// TestCheckHistoriesRejectsBad is the checker's negative test: each of
// these histories must be reported.
func TestCheckHistoriesRejectsBad(t *testing.T) {
	t.Attr("req", "OC-CORE-1008")
	bad := []struct {
		kinds []observe.Kind
		want  string
	}{
		{[]observe.Kind{adm}, "no terminal state"},
		{[]observe.Kind{adm, dis}, "no terminal state"},
		{[]observe.Kind{adm, can, dis}, "dispatched not allowed"},
		{[]observe.Kind{adm, dis, can, cpl}, "completed not allowed"},
		{[]observe.Kind{adm, can, can}, "canceled not allowed"},
		{[]observe.Kind{dis, cpl}, "dispatched not allowed after start"},
		{[]observe.Kind{rej, adm, can}, "admitted not allowed"},
		{[]observe.Kind{adm, drp, can}, "canceled not allowed"},
		{[]observe.Kind{adm, cpl}, "completed not allowed after admitted"},
		{[]observe.Kind{adm, ret}, "retried not allowed after admitted"},
		{[]observe.Kind{adm, dis, rej}, "rejected not allowed after dispatched"},
		{[]observe.Kind{adm, dis, ret, rej}, "rejected not allowed after retried"},
		{[]observe.Kind{adm, dis, ret}, "no terminal state (last retried)"},
		{[]observe.Kind{adm, dis, ret, cpl}, "completed not allowed after retried"},
		{[]observe.Kind{adm, dis, ret, tmo}, "timed_out not allowed after retried"},
		{[]observe.Kind{adm, dis, ret, ret}, "retried not allowed after retried"},
	}
	for _, b := range bad {
		err := core.CheckHistories(hist("t", b.kinds...))
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%v: got %v, want an error containing %q", b.kinds, err, b.want)
		}
	}
	// One bad task among good ones is still found, and named.
	evs := append(hist("ok", adm, dis, cpl), hist("lost", adm)...)
	if err := core.CheckHistories(evs); err == nil || !strings.Contains(err.Error(), `"lost"`) {
		t.Errorf("mixed history: %v", err)
	}
}
