package scheduling_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.txt")

// TestData runs the scenarios in testdata/*.txt. Each line is a command;
// a `place` command is followed by `----` and its expected output, ended
// by a blank line. Commands:
//
//	pool id=p devices=0,1
//	replica id=r1 pool=p [set=s1 engine=e model=m digest=d quant=q]
//	        [free=8000] [slots=ACTIVE/TOTAL] [ctx=4096] [devices=0,1]
//	        [features=a,b] [unready]
//	update id=r1 [free=..] [slots=..] [ready|unready]
//	policy [allow-pin]
//	affinity session=s replica=r1
//	place [model=m] [engine=e] [digest=d] [quant=q] [ctx=N] [ext=a,b]
//	      [streaming] [pin=p] [session=s] [set=s1]
//	reset
//
// Defaults: a replica is Ready with engine e, model m, set s1, 0/1 slots,
// ctx 4096; a place requests model m and leaves other fields absent.
// Run with -update to rewrite the expected output.
func TestData(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Attr("req", "OC-CORE-1042")
			runFile(t, f)
		})
	}
}

type world struct {
	snap scheduling.Snapshot
	pl   scheduling.Placer
	aff  scheduling.Affinity
}

func runFile(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	w := &world{}
	w.pl.Affinity = &w.aff
	var out []string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out = append(out, line)
		cmd := strings.TrimSpace(line)
		if cmd == "" || strings.HasPrefix(cmd, "#") {
			continue
		}
		got, err := w.run(cmd)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		if !strings.HasPrefix(cmd, "place") {
			continue
		}
		var want []string
		if i+1 < len(lines) && lines[i+1] == "----" {
			i += 2
			for ; i < len(lines) && lines[i] != ""; i++ {
				want = append(want, lines[i])
			}
			i-- // the blank line (or EOF) is copied by the loop
		}
		out = append(out, "----")
		out = append(out, got...)
		if !*update && strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Errorf("%s:%d: %s\n got:\n%s\nwant:\n%s", path, i+1, cmd, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func args(fields []string) (map[string]string, error) {
	m := map[string]string{}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("duplicate %s", k)
		}
		m[k] = v
	}
	return m, nil
}

func ints(s string) []int {
	if s == "" {
		return nil
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (w *world) run(cmd string) ([]string, error) {
	fields := strings.Fields(cmd)
	a, err := args(fields[1:])
	if err != nil {
		return nil, err
	}
	switch fields[0] {
	case "reset":
		*w = world{}
		w.pl.Affinity = &w.aff
	case "pool":
		w.snap.Pools = append(w.snap.Pools, scheduling.Pool{ID: a["id"], DeviceMask: ints(a["devices"])})
	case "policy":
		_, w.pl.Policy.AllowPin = a["allow-pin"]
	case "affinity":
		w.aff.Set(a["session"], a["replica"])
	case "replica":
		r := scheduling.Replica{ID: a["id"], PoolID: a["pool"], ReplicaSet: "s1", Engine: "e", ModelID: "m",
			Ready: true, SlotsTotal: 1, CtxMaxSupported: 4096}
		w.snap.Replicas = append(w.snap.Replicas, r)
		return nil, apply(&w.snap.Replicas[len(w.snap.Replicas)-1], a)
	case "update":
		for i := range w.snap.Replicas {
			if w.snap.Replicas[i].ID == a["id"] {
				return nil, apply(&w.snap.Replicas[i], a)
			}
		}
		return nil, fmt.Errorf("no replica %s", a["id"])
	case "place":
		for k := range a {
			if !strings.Contains(" model engine digest quant ctx ext streaming pin session set ", " "+k+" ") {
				return nil, fmt.Errorf("unknown place field %q", k)
			}
		}
		return w.place(a), nil
	default:
		return nil, fmt.Errorf("unknown command %q", fields[0])
	}
	return nil, nil
}

func apply(r *scheduling.Replica, a map[string]string) error {
	for k, v := range a {
		var err error
		switch k {
		case "id", "pool":
		case "set":
			r.ReplicaSet = v
		case "engine":
			r.Engine = v
		case "model":
			r.ModelID = v
		case "digest":
			r.ModelDigest = v
		case "quant":
			r.Quant = v
		case "free":
			r.FreeVRAMMB, err = strconv.ParseInt(v, 10, 64)
		case "slots":
			act, tot, _ := strings.Cut(v, "/")
			r.ActiveSlots, _ = strconv.Atoi(act)
			r.SlotsTotal, err = strconv.Atoi(tot)
		case "ctx":
			r.CtxMaxSupported, err = strconv.Atoi(v)
		case "devices":
			r.Devices = ints(v)
		case "features":
			r.Features = list(v)
		case "ready":
			r.Ready = true
		case "unready":
			r.Ready = false
		default:
			return fmt.Errorf("unknown replica field %q", k)
		}
		if err != nil {
			return fmt.Errorf("%s=%s: %v", k, v, err)
		}
	}
	return nil
}

func (w *world) place(a map[string]string) []string {
	req := scheduling.Request{ModelID: "m", Engine: a["engine"], Pin: a["pin"], SessionID: a["session"],
		ReplicaSet: a["set"], Extensions: list(a["ext"])}
	if v, ok := a["model"]; ok {
		req.ModelID = v
	}
	if v, ok := a["digest"]; ok {
		req.ModelDigest = scheduling.Some(v)
	}
	if v, ok := a["quant"]; ok {
		req.Quant = scheduling.Some(v)
	}
	if v, ok := a["ctx"]; ok {
		n, _ := strconv.Atoi(v)
		req.CtxMax = scheduling.Some(n)
	}
	if _, ok := a["streaming"]; ok {
		req.Streaming = scheduling.Some(true)
	}
	d, err := w.pl.Place(&req, w.snap)
	var out []string
	switch {
	case err != nil:
		out = append(out, "error "+err.Error())
	case d.Assigned:
		out = append(out, fmt.Sprintf("assigned %s pool=%s set=%s kv_warmth=%v moved=%v", d.ReplicaID, d.PoolID, d.ReplicaSet, d.KVWarmth, d.Moved))
	default:
		out = append(out, "none reason="+d.Reason.String())
	}
	out = append(out, fmt.Sprintf("candidates total=%d feasible=%d", d.CandidatesTotal, d.CandidatesFeasible))
	if cs := d.Counts(); len(cs) > 0 {
		var parts []string
		for _, c := range cs {
			parts = append(parts, fmt.Sprintf("%s=%d", c.Reason, c.Count))
		}
		out = append(out, "filtered "+strings.Join(parts, " "))
	}
	return out
}
