package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/fault"
	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/internal/runner"
)

var engineBin string

func TestMain(m *testing.M) {
	// Before the first testcontainers call: no reaper container (it would
	// need an image from a registry); the provider removes what it starts.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	dir, err := os.MkdirTemp("", "chaos-engine-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	engineBin, err = runner.BuildEngine(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// smoke is the chaos-smoke configuration: the process provider, three
// replicas, overload, every fault kind once.
func smoke(t *testing.T, seed uint64) runner.Options {
	return runner.Options{
		Provider: "process", Replicas: 3, Slots: 2, Duration: 16 * time.Second,
		Faults: fault.Kinds, FaultDuration: time.Second, Rounds: 1, Rate: 150, Seed: seed,
		Out: t.TempDir(), TokenLatency: 10 * time.Millisecond, Drain: 30 * time.Second,
		EngineBin: engineBin, CancelRate: 0.05, Command: []string{"go", "test", "chaos-smoke"},
		Thresholds: history.Thresholds{MinTasksPerClass: 20, MinBacklogFraction: 0.5, MinFaultDispatches: 1, MinCompletedPerSec: 1},
	}
}

func verdict(t *testing.T, vs []check.Verdict, name string) check.Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no verdict %s", name)
	return check.Verdict{}
}

// TestSmokeWeighted is the weighted chaos-smoke run: every fault kind is
// injected and verified while the load overloads every class, and every
// invariant holds.
func TestSmokeWeighted(t *testing.T) {
	for _, id := range []string{"OC-CHAOS-8001", "OC-CHAOS-8002", "OC-CHAOS-8003", "OC-CHAOS-8004", "OC-CHAOS-8005",
		"OC-CHAOS-8006", "OC-CHAOS-8007", "OC-CHAOS-8008", "OC-CHAOS-8009", "OC-CHAOS-8010", "OC-CHAOS-8011", "OC-CORE-1006", "OC-CORE-1007", "OC-CORE-1008"} {
		t.Attr("req", id)
	}
	o := smoke(t, 11)
	res, err := runner.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Verdicts {
		if v.Status != check.Pass {
			t.Errorf("%s: %s: %v (run directory kept in %s)", v.Name, v.Status, v.Findings, keep(t, o.Out))
		}
	}
	faults := verdict(t, res.Verdicts, "faults").Figures["injected_by_kind"].(map[string]int)
	for _, k := range fault.Kinds {
		if faults[k] < 1 {
			t.Errorf("fault kind %s not injected: %v", k, faults)
		}
	}
	for _, f := range res.Report.Faults {
		if !f.Verified {
			t.Errorf("fault %s not verified: %s", f.ID, f.Detail)
		}
	}
	if v := verdict(t, res.Verdicts, "validity"); v.Figures["overload_reached"] != true {
		t.Errorf("overload not reached: %v", v.Figures)
	}
	lost := verdict(t, res.Verdicts, "lost").Figures
	if lost["admitted"].(int) < 60 || lost["lost"].(int) != 0 {
		t.Errorf("lost figures %v", lost)
	}
	if c := lost["cancels"].(map[string]int); c["canceled-queued"]+c["aborted-job"] == 0 {
		t.Errorf("no client cancel took effect: %v", c)
	}
	// The faults had consequences the checkers then judged: failed jobs
	// were retried and replicas were observed out.
	if n := verdict(t, res.Verdicts, "backoff").Figures["retries"].(int); n < 1 {
		t.Errorf("no retry in a run with kills and cuts")
	}
	if n := verdict(t, res.Verdicts, "replicas").Figures["detected_faults"].(int); n < 1 {
		t.Errorf("no fault was ever observed by the dispatcher")
	}
	for _, name := range []string{"history.jsonl", "report.json", "report.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(o.Out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if left := processesOf(engineBin); len(left) > 0 {
		t.Errorf("engine processes left after the run: %v", left)
	}
	// chaos check re-validates the saved run with the same verdicts.
	h, err := history.ReadFile(filepath.Join(o.Out, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(check.All(h))
	first, _ := json.Marshal(res.Verdicts)
	if string(again) != string(first) {
		t.Errorf("re-check of the saved history differs:\n%s\n%s", first, again)
	}
	html, _ := os.ReadFile(filepath.Join(o.Out, "report.html"))
	if !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), `class="fault"`) {
		t.Error("report.html has no chart with shaded fault windows")
	}
}

// TestSmokeStrictStarves is the strict-policy run: the lowest class must
// be reported starved, while every other invariant holds.
func TestSmokeStrictStarves(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CHAOS-8006")
	o := smoke(t, 12)
	o.Fairness, o.Faults, o.Duration, o.Rate = "strict", nil, 8*time.Second, 300
	res, err := runner.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	fair := verdict(t, res.Verdicts, "fairness")
	if fair.Status != check.Fail || !strings.Contains(strings.Join(fair.Findings, "\n"), "class background starved") {
		t.Fatalf("strict run: fairness %s %v; want background starved (run kept in %s)", fair.Status, fair.Findings, keep(t, o.Out))
	}
	for _, v := range res.Verdicts {
		if v.Name != "fairness" && v.Status != check.Pass {
			t.Errorf("%s: %v", v.Name, v.Findings)
		}
	}
	if res.Report.Result != check.Fail {
		t.Fatalf("report result %s, want fail", res.Report.Result)
	}
}

// keep copies a failed run's directory out of the test's temp dir.
func keep(t *testing.T, dir string) string {
	dst, err := os.MkdirTemp("", "chaos-failed-run-")
	if err != nil {
		return dir
	}
	for _, n := range []string{"history.jsonl", "report.json", "report.md", "report.html"} {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			os.WriteFile(filepath.Join(dst, n), b, 0o644)
		}
	}
	return dst
}

// processesOf lists the pids whose executable is bin (Linux /proc; none
// elsewhere).
func processesOf(bin string) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == bin {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestSmokePreemption runs the overload with bounded preemption on real
// engine processes (no faults): the dispatcher aborts the preempted
// streams, the tasks come back or fail, and no task is lost or ends
// twice; the window bound holds over the recorded preemptions.
func TestSmokePreemption(t *testing.T) {
	for _, id := range []string{"OC-CORE-1057", "OC-CHAOS-8001", "OC-CHAOS-8006"} {
		t.Attr("req", id)
	}
	o := smoke(t, 5)
	o.Faults, o.Duration, o.CancelRate = nil, 8*time.Second, 0
	o.ConfigFile = filepath.Join("..", "..", "configs", "preempt.yaml") // the nightly run's too
	o.Thresholds.MinFaultDispatches = 0
	res, err := runner.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Verdicts {
		if v.Status != check.Pass {
			t.Errorf("%s: %s: %v (run directory kept in %s)", v.Name, v.Status, v.Findings, keep(t, o.Out))
		}
	}
	lost := verdict(t, res.Verdicts, "lost").Figures
	n := lost["terminal"].(map[string]int)["preempted"]
	if n < 1 || lost["lost"].(int) != 0 {
		t.Fatalf("preemptions %d, lost %v: want at least one preemption and none lost (%v)", n, lost["lost"], lost)
	}
	h, err := history.ReadFile(filepath.Join(o.Out, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var at []int64
	for _, r := range h.Records {
		if r.Type == history.KindCore && r.Event == "preempted" {
			at = append(at, r.Ms)
		}
	}
	// At most 5 in any 1,000 ms of pool time: the 6th after any one is
	// at least 1,000 ms later (pool and history clocks share the start).
	for i := 5; i < len(at); i++ {
		if at[i]-at[i-5] < 1000-5 {
			t.Errorf("preemptions %d..%d within %d ms: the window allows 5 per 1000 ms", i-5, i, at[i]-at[i-5])
		}
	}
	t.Logf("%d preemptions, terminal %v", n, lost["terminal"])
}
