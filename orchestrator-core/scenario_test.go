package core_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
)

var update = flag.Bool("update", false, "rewrite testdata/scenarios/*.golden from the current behaviour (review the diff!)")

// TestScenarios replays the readable scenarios in testdata/scenarios: each
// .txt holds commands, one a line; the transcript of every command with
// the events it caused must equal the .golden file beside it. The golden
// files were checked by hand against OC-CORE-1002/1005/1008.
//
// Commands:
//
//	pool capacity=N policy=P fairness=F classes=name:rank:weight:cap,... [quota=tenant:maxq:maxf]
//	admit id=X class=C [tenant=T]
//	next | cancel id=X | complete id=X | fail id=X | advance ms=N | queues
func TestScenarios(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	files, _ := filepath.Glob("testdata/scenarios/*.txt")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := run(t, string(in))
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

func run(t *testing.T, script string) string {
	var out strings.Builder
	var p *core.Pool
	rec, clk := &core.Recorder{}, &core.ManualClock{}
	seen := 0
	for _, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		args := map[string]string{}
		for _, f := range fields[1:] {
			k, v, _ := strings.Cut(f, "=")
			args[k] = v
		}
		fmt.Fprintf(&out, "> %s\n", line)
		var res string
		switch fields[0] {
		case "pool":
			cfg := core.Config{ID: "p1", Observer: rec, Clock: clk, Fairness: fairness.Kind(args["fairness"])}
			cfg.Capacity, _ = strconv.Atoi(args["capacity"])
			cfg.Admission, _ = queue.ParsePolicy(args["policy"])
			for _, c := range strings.Split(args["classes"], ",") {
				var k queue.Class
				parts := strings.Split(c, ":")
				k.Name = parts[0]
				k.Rank, _ = strconv.Atoi(parts[1])
				k.Weight, _ = strconv.Atoi(parts[2])
				k.Capacity, _ = strconv.Atoi(parts[3])
				cfg.Classes = append(cfg.Classes, k)
			}
			if q := args["quota"]; q != "" {
				parts := strings.Split(q, ":")
				mq, _ := strconv.Atoi(parts[1])
				mf, _ := strconv.Atoi(parts[2])
				cfg.Quotas = []queue.Quota{{Tenant: parts[0], MaxQueued: mq, MaxInFlight: mf}}
			}
			var err error
			if p, err = core.New(cfg); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
		case "admit":
			a, err := p.Admit(core.Task{ID: args["id"], Class: args["class"], Tenant: args["tenant"]})
			res = result(err, fmt.Sprintf("admitted evicted=%q", strings.Join(a.Evicted, ",")))
		case "next":
			if j, ok := next(p); ok {
				res = fmt.Sprintf("job %s queue_time_ms=%d", j.Task.ID, j.QueueTimeMs)
			} else {
				res = "nothing queued"
			}
		case "cancel":
			r, err := p.Cancel(args["id"])
			res = result(err, r.String())
		case "complete":
			res = result(p.Complete(args["id"]), "ok")
		case "fail":
			res = result(p.Fail(args["id"], "ENGINE_ERROR"), "ok")
		case "advance":
			ms, _ := strconv.ParseInt(args["ms"], 10, 64)
			res = fmt.Sprint("now=", clk.Advance(ms))
		case "queues":
			var parts []string
			for _, c := range p.Classes() {
				parts = append(parts, fmt.Sprintf("%s=%v", c.Name, p.Queue(c.Name)))
			}
			res = strings.Join(parts, " ")
		default:
			t.Fatalf("unknown command %q", line)
		}
		if res != "" {
			fmt.Fprintf(&out, "%s\n", res)
		}
		evs := rec.Events()
		for _, e := range evs[seen:] {
			fmt.Fprintf(&out, "  event %s %s", e.Kind, e.TaskID)
			if e.Reason != "" {
				fmt.Fprintf(&out, " reason=%s", e.Reason)
			}
			if e.EvictedBy != "" {
				fmt.Fprintf(&out, " evicted_by=%s", e.EvictedBy)
			}
			fmt.Fprintf(&out, " depth=%d\n", e.QueueDepth)
		}
		seen = len(evs)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		fmt.Fprintf(&out, "histories: %v\n", err)
	}
	return out.String()
}

func result(err error, ok string) string {
	if err != nil {
		return "error " + err.Error()
	}
	return ok
}
