package main_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/server"
)

// build compiles detsuite into a temp dir.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "detsuite")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// slowEngine is a reference engine that delays each completion and counts
// the completion requests it received.
func slowEngine(t *testing.T, hits *atomic.Int64) string {
	t.Helper()
	s, err := server.New(server.Options{Latency: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/completion" {
			hits.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts.URL
}

// SIGINT in the middle of a recorded run: exit 130, a clear message, and
// no transcript, whole or partial.
func TestSIGINTStopsCleanly(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	bin := build(t)
	var hits atomic.Int64
	a, b := slowEngine(t, &hits), slowEngine(t, &hits)
	parent := t.TempDir()
	cmd := exec.Command(bin, "run", "--engine", a, "--engine", b, "--record", filepath.Join(parent, "rec"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for hits.Load() < 4 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("wait: %v, want exit 130\nstderr: %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stdout.String(), "INTERRUPTED (exit 130)") {
		t.Fatalf("stdout %q\nstderr %q", stdout.String(), stderr.String())
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("interrupted run left %v in %s", entries, parent)
	}
	if n := hits.Load(); n >= 2*640 {
		t.Fatalf("run was not interrupted: %d requests", n)
	}
}

// stream says where a command must write: help to stdout only, usage
// errors to stderr only; a run writes its report to stdout.
type stream int

const (
	stdoutOnly stream = iota
	stderrOnly
	report
)

func TestExitCodes(t *testing.T) {
	bin := build(t)
	seeds := filepath.Join(t.TempDir(), "seeds.txt")
	if err := os.WriteFile(seeds, []byte("1\n2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		code  int
		where stream
	}{
		{[]string{"run", "--seeds", "/dev/null"}, 2, stderrOnly},
		{[]string{"help"}, 0, stdoutOnly},
		{[]string{"--help"}, 0, stdoutOnly},
		{[]string{"-h"}, 0, stdoutOnly},
		{[]string{"run", "--help"}, 0, stdoutOnly},
		{[]string{"replay", "--help"}, 0, stdoutOnly},
		{[]string{"help", "replay"}, 0, stdoutOnly},
		{nil, 2, stderrOnly},
		{[]string{"frobnicate"}, 2, stderrOnly},
		{[]string{"run", "--nope"}, 2, stderrOnly},
		{[]string{"run", "extra"}, 2, stderrOnly},
		{[]string{"replay"}, 2, stderrOnly},
		{[]string{"help", "nope"}, 2, stderrOnly},
		{[]string{"run", "--seeds", seeds}, 0, report},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code {
			t.Errorf("detsuite %v: exit %d, want %d", c.args, code, c.code)
		}
		switch out, errOut := stdout.String(), stderr.String(); c.where {
		case stdoutOnly:
			if out == "" || errOut != "" || !strings.Contains(out, "Exit status:") {
				t.Errorf("detsuite %v: stdout %q, stderr %q; want the help on stdout only", c.args, out, errOut)
			}
		case stderrOnly:
			if out != "" || !strings.Contains(errOut, "Run 'detsuite") {
				t.Errorf("detsuite %v: stdout %q, stderr %q; want the error and a hint on stderr only", c.args, out, errOut)
			}
		case report:
			if !strings.Contains(out, "BYTE-EXACT") {
				t.Errorf("detsuite %v: stdout %q, want the report", c.args, out)
			}
		}
	}
}
