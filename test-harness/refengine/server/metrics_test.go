package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"orchcore.dev/test-harness/refengine/server"
)

func TestMetricsExpositionLintsCleanAndCounts(t *testing.T) {
	_, url := start(t, server.Options{Parallel: 2, ContBatching: true})
	resp := post(t, url+"/completion", `{"prompt":"a","n_predict":7,"seed":1}`)
	resp.Body.Close()
	if got := metric(t, url, "refengine_tokens_generated_total"); got != "7" {
		t.Errorf("tokens generated = %s, want 7", got)
	}
	if got := metric(t, url, `refengine_requests_total{code="200",endpoint="/completion"}`); got != "1" {
		t.Errorf("completion requests = %s, want 1", got)
	}
	if got := metric(t, url, "refengine_slots"); got != "2" {
		t.Errorf("slots = %s, want 2", got)
	}
	r, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	problems, err := promlint.New(r.Body).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

func TestPromlintCatchesABadName(t *testing.T) {
	// The lint above can fail: a counter without _total is reported.
	bad := "# HELP refengine_tokens Tokens.\n# TYPE refengine_tokens counter\nrefengine_tokens 1\n"
	problems, err := promlint.New(strings.NewReader(bad)).Lint()
	if err != nil || len(problems) == 0 {
		t.Errorf("promlint found %v, %v in a counter without _total", problems, err)
	}
}
