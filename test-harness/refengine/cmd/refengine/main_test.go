package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
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

// exitCode runs this test binary as refengine with args and returns its
// exit status, stdout and stderr.
func exitCode(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := command(t, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

func TestNonLoopbackWithoutTokenFails(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"--addr", "0.0.0.0:0"}, &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), "--auth-token") || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 naming --auth-token on stderr", code, out.String(), errOut.String())
	}
}

// --help and -h print the help to stdout and exit 0, as the real binary.
func TestHelpListsFlags(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, out, errOut := exitCode(t, arg)
		if code != 0 || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q; want 0 and nothing on stderr", arg, code, errOut)
		}
		for _, f := range []string{"-addr", "-parallel", "-cont-batching", "-batch-invariant", "-latency", "-token-latency", "-fail-rate", "-fail-seed", "-auth-token", "-engine-version", "REFENGINE_AUTH_TOKEN", "model_digest", "Exit status:"} {
			if !strings.Contains(out, f) {
				t.Errorf("%s: help lacks %q", arg, f)
			}
		}
		for _, line := range []string{"  0  clean shutdown", "  1  the server could not listen", "  2  usage error"} {
			if !strings.Contains(out, line) {
				t.Errorf("%s: help lacks exit status line %q", arg, line)
			}
		}
	}
}

// Usage errors exit 2 with the reason on stderr and nothing on stdout.
func TestBadFlagsFail(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--parallel", "0x"}, "invalid value"},
		{[]string{"--parallel", "0"}, "--parallel 0 out of range 1..256"},
		{[]string{"--parallel", "-3"}, "out of range 1..256"},
		{[]string{"--parallel", "257"}, "out of range 1..256"},
		{[]string{"--nope"}, "flag provided but not defined: -nope"},
		{[]string{"--fail-rate", "2"}, "fail rate 2 out of range"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--addr", "nonsense"}, `address "nonsense"`},
	} {
		var out, errOut bytes.Buffer
		code := run(c.args, &out, &errOut)
		if code != exitUsage || out.Len() != 0 || !strings.Contains(errOut.String(), c.want) || !strings.Contains(errOut.String(), "refengine --help") {
			t.Errorf("run(%q): exit %d, stdout %q, stderr %q; want 2, stderr with %q and the --help hint", c.args, code, out.String(), errOut.String(), c.want)
		}
	}
	if code, out, errOut := exitCode(t, "--nope"); code != 2 || out != "" || !strings.Contains(errOut, "-nope") {
		t.Errorf("binary --nope: exit %d, stdout %q, stderr %q; want 2 on stderr", code, out, errOut)
	}
}

// A port already in use is not a usage error: exit 1.
func TestListenFailureExitsOne(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	code, out, errOut := exitCode(t, "--addr", l.Addr().String())
	if code != 1 || out != "" || !strings.Contains(errOut, "listen") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the listen error on stderr", code, out, errOut)
	}
}
