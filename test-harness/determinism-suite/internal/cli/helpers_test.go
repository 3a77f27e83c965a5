package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/internal/cli"
	"orchcore.dev/test-harness/determinism-suite/report"
)

// outcome is one Main call.
type outcome struct {
	code           int
	stdout, stderr string
}

func detsuite(t *testing.T, args ...string) outcome {
	t.Helper()
	return detsuiteCtx(t, context.Background(), false, args...)
}

func detsuiteCtx(t *testing.T, ctx context.Context, tty bool, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(ctx, args, cli.Env{Stdout: &out, Stderr: &errb, StderrTTY: tty})
	return outcome{code: code, stdout: out.String(), stderr: errb.String()}
}

// jsonReport runs detsuite with --json and decodes the report.
func jsonReport(t *testing.T, args ...string) (report.Report, outcome) {
	t.Helper()
	o := detsuite(t, append(args, "--json")...)
	var r report.Report
	if err := json.Unmarshal([]byte(o.stdout), &r); err != nil {
		t.Fatalf("exit %d, stdout is not a JSON report: %v\nstdout:\n%s\nstderr:\n%s", o.code, err, o.stdout, o.stderr)
	}
	return r, o
}

// engine starts a reference engine the test owns and returns its URL.
func engine(t *testing.T, o server.Options) string {
	t.Helper()
	s, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return url
}

// file writes body to a file in a fresh temp dir.
func file(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// seeds writes the seeds 1..n as a seed file.
func seeds(t *testing.T, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strconv.Itoa(i) + "\n")
	}
	return file(t, "seeds.txt", b.String())
}

// twoPrompts is a small prompt file.
func twoPrompts(t *testing.T) string {
	return file(t, "prompts.jsonl", `{"id":"a","text":"Once upon a time"}`+"\n"+`{"id":"b","text":"The water cycle"}`+"\n")
}

func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// cancelOnWrite cancels on its first write and keeps what was written.
type cancelOnWrite struct {
	cancel context.CancelFunc
	strings.Builder
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	c.cancel()
	return c.Builder.Write(p)
}

func mainWith(ctx context.Context, stderr, stdout io.Writer, args ...string) int {
	return cli.Main(ctx, args, cli.Env{Stdout: stdout, Stderr: stderr, StderrTTY: true})
}
