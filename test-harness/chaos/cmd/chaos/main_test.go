package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/internal/runner"
)

// TestInterruptHealsAndStops sends SIGINT to a running `chaos run`: it
// must exit 2, leave a history whose end record says incomplete and a
// report marked incomplete, and leave no engine process behind.
func TestInterruptHealsAndStops(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc to find leftover engine processes; Linux only")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "chaos")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	engine, err := runner.BuildEngine(ctx, filepath.Join(dir, "engine"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	cmd := exec.CommandContext(ctx, bin, "run", "--duration", "20s", "--faults", "pause,cut", "--engine-bin", engine, "--out", out, "--quiet")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt during the first fault (pause at 2 s) so the heal matters.
	hpath := filepath.Join(out, "history.jsonl")
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(hpath)
		if strings.Contains(string(b), `"event":"verify"`) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no fault verified within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2", err)
	}
	h, err := history.ReadFile(hpath)
	if err != nil {
		t.Fatal(err)
	}
	if h.End == nil || !h.End.Incomplete {
		t.Fatalf("end record %+v, want one marked incomplete", h.End)
	}
	healed := false
	for _, r := range h.Records {
		healed = healed || (r.Type == history.KindFault && r.Event == history.FaultEnd)
	}
	if !healed {
		t.Fatal("the active fault was not healed")
	}
	var rep struct{ Result, Incomplete string }
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil || json.Unmarshal(b, &rep) != nil || rep.Result != "incomplete" || rep.Incomplete == "" {
		t.Fatalf("report.json: %s %v", b, err)
	}
	if left := processesOf(engine); len(left) > 0 {
		t.Fatalf("engine processes left behind: %v", left)
	}
}

// processesOf lists the pids whose executable is bin.
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
