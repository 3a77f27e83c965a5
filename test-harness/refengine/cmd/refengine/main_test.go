package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary stand in for refengine itself.
func TestMain(m *testing.M) {
	if os.Getenv("REFENGINE_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// command runs this test binary as refengine with args.
func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "REFENGINE_RUN_MAIN=1", "REFENGINE_AUTH_TOKEN=")
	return cmd
}

func TestPrintsOneListeningLineAndStopsOnSIGTERM(t *testing.T) {
	cmd := command(t, "--addr", "127.0.0.1:0", "--parallel", "2")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	rd := bufio.NewReader(stdout)
	line, err := rd.ReadString('\n')
	if err != nil {
		t.Fatalf("reading stdout: %v (stderr %s)", err, stderr.String())
	}
	m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[0-9]+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first stdout line %q", line)
	}
	resp, err := http.Get(m[1] + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("health: %d", resp.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(rd)
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v (stderr %s)", err, stderr.String())
	}
	if len(rest) != 0 {
		t.Errorf("more stdout after the listening line: %q", rest)
	}
}

func TestNonLoopbackWithoutTokenFails(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"--addr", "0.0.0.0:0"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--auth-token") || out.Len() != 0 {
		t.Errorf("err %v, stdout %q", err, out.String())
	}
}

func TestHelpListsFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"--help"}, &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-addr", "-parallel", "-cont-batching", "-batch-invariant", "-latency", "-fail-rate", "-fail-seed", "-auth-token", "-engine-version", "REFENGINE_AUTH_TOKEN", "model_digest"} {
		if !strings.Contains(errOut.String(), f) {
			t.Errorf("help lacks %q", f)
		}
	}
}

func TestBadFlagsFail(t *testing.T) {
	for _, args := range [][]string{{"--parallel", "0x"}, {"--fail-rate", "2"}, {"extra"}, {"--addr", "nonsense"}} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
