package promexport_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	"github.com/prometheus/common/expfmt"

	"orchcore.dev/contracts/metrics"
)

var exposition = flag.String("exposition", "", "also write the exposition text of one event of every kind to this file")

// unexcepted returns the lint problems on metrics the contract does not
// list as unit exceptions.
func unexcepted(c *metrics.Contract, ps []promlint.Problem) []promlint.Problem {
	var out []promlint.Problem
	for _, p := range ps {
		if !c.Excepted(p.Metric) {
			out = append(out, p)
		}
	}
	return out
}

func TestPromlintOnlyUnitExceptions(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	c := contract(t)
	reg := driven(t)
	ps, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range unexcepted(c, ps) {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	// Each exception must still be needed, or it should leave the contract.
	for _, e := range c.UnitExceptions {
		if !slices.ContainsFunc(ps, func(p promlint.Problem) bool { return p.Metric == e.Name }) {
			t.Errorf("unit exception %s draws no lint problem; drop it from the contract", e.Name)
		}
	}

	// The filter must let a real problem through.
	bad := prometheus.NewCounter(prometheus.CounterOpts{Name: "requests_handled", Help: "x"})
	reg.MustRegister(bad)
	bad.Inc()
	ps, err = testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	got := unexcepted(c, ps)
	if len(got) != 1 || got[0].Metric != "requests_handled" {
		t.Fatalf("with a counter lacking _total: %v, want exactly that problem", got)
	}
}

func TestLatencyBucketsAreDocumented(t *testing.T) {
	t.Attr("req", "OC-METRICS-7103")
	c := contract(t)
	spans := map[string][2]float64{
		"latency_first_token_ms": {50, 3000},
		"latency_decode_ms":      {250, 12000},
	}
	seen := 0
	for _, f := range families(t, driven(t)) {
		span, ok := spans[f.Name]
		if !ok {
			continue
		}
		m, _ := c.Metric(f.Name)
		for _, s := range f.Series {
			seen++
			if !slices.Equal(s.Buckets, m.Buckets) {
				t.Errorf("%s: buckets %v, contract %v", f.Name, s.Buckets, m.Buckets)
			}
			if got := [2]float64{s.Buckets[0], s.Buckets[len(s.Buckets)-1]}; got != span {
				t.Errorf("%s: buckets span %v, want %v", f.Name, got, span)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("saw %d latency series, want 2", seen)
	}
}

func text(t *testing.T, g prometheus.Gatherer) []byte {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// promtool runs `promtool check metrics` on text and returns the metric
// names of the problems it reports. It fails the test when promtool
// cannot parse the text or fails in another way.
func promtool(t *testing.T, text []byte) []string {
	t.Helper()
	cmd := exec.Command("promtool", "check", "metrics")
	cmd.Stdin = bytes.NewReader(text)
	out, err := cmd.CombinedOutput()
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		name, _, _ := strings.Cut(line, " ")
		names = append(names, name)
	}
	// promtool exits 3 for lint problems, other codes for real failures.
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 3) {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	if err == nil && len(names) > 0 {
		t.Fatalf("promtool succeeded but printed %q", out)
	}
	return names
}

func TestPromtoolCheckMetrics(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	c := contract(t)
	reg := driven(t)
	expo := text(t, reg)
	if *exposition != "" {
		if err := os.WriteFile(*exposition, expo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Skip("promtool is not on PATH (Debian package prometheus); promlint still runs in TestPromlintOnlyUnitExceptions")
	}
	got := promtool(t, expo)
	var want []string
	for _, e := range c.UnitExceptions {
		want = append(want, e.Name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("promtool reported %v, want exactly the unit exceptions %v", got, want)
	}

	// promtool must be shown to catch a bad name in the same exposition.
	bad := append(slices.Clone(expo), []byte("# HELP requests_handled x\n# TYPE requests_handled counter\nrequests_handled 1\n")...)
	if got := promtool(t, bad); !slices.Contains(got, "requests_handled") {
		t.Errorf("promtool on a counter without _total reported %v", got)
	}
	t.Logf("promtool checked %d bytes of exposition", len(expo))
}
