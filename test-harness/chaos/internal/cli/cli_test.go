package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/test-harness/chaos/internal/cli"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, cli.Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestBadInputExits2NamingTheProblem(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"seq":1,"ms":0,"type":"run","header":{"version":1}}`+"\n"+`{"seq":2,"ms":1,"type":"core"}`+"\n"+"not json\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--plan", "--faults", "kill,meteor"}, `unknown fault kind "meteor"`},
		{[]string{"run", "--plan", "--provider", "vm"}, `unknown provider "vm"`},
		{[]string{"run", "--plan", "--duration", "5s"}, "longer than the run"},
		{[]string{"run", "--plan", "--rate", "0"}, "--rate must be above 0"},
		{[]string{"run", "--plan", "--rate", "-3"}, "--rate must be above 0"},
		{[]string{"run", "--plan", "--fairness", "lottery"}, `unknown fairness policy "lottery"`},
		{[]string{"run", "--plan", "--config", "/nonexistent/pool.yaml"}, "--config"},
		{[]string{"check", bad}, "bad.jsonl:3:"},
		{[]string{"check", "/nonexistent/history.jsonl"}, "no such file"},
		{[]string{"check"}, "want exactly one"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, c := range cases {
		code, _, stderr := run(t, c.args...)
		if code != cli.ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", c.args, code, stderr, c.want)
		}
	}
}

func TestInvalidConfigNamesTheField(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pool.yaml")
	os.WriteFile(p, []byte("version: 1\npools:\n  - id: x\n    model_id: m\n    fairness_policy: random\n"), 0o644)
	code, _, stderr := run(t, "run", "--plan", "--config", p)
	if code != cli.ExitUsage || !strings.Contains(stderr, "fairness_policy") || !strings.Contains(stderr, "pool.yaml:5") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestPlanIsReproducible(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8009")
	_, a, _ := run(t, "run", "--plan", "--seed", "9")
	_, b, _ := run(t, "run", "--plan", "--seed", "9")
	_, c, _ := run(t, "run", "--plan", "--seed", "10")
	if a == "" || a != b {
		t.Fatalf("same seed, two plans:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatal("seeds 9 and 10 gave the same plan")
	}
	for _, k := range []string{"kill", "pause", "cut", "slow", "restart", "flap", "arrival_digest"} {
		if !strings.Contains(a, k) {
			t.Errorf("plan lacks %s:\n%s", k, a)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"run", "--help"}, {"check", "--help"}} {
		code, out, _ := run(t, args...)
		if code != cli.ExitOK || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d out %q", args, code, out)
		}
	}
}

// TestCheckFlagsCraftedHistories re-validates the checkers' crafted
// histories through the command: each bad one exits 1 naming the
// offender, the good one exits 0, and two checks print the same.
func TestCheckFlagsCraftedHistories(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	t.Attr("req", "OC-CHAOS-8009")
	dir := filepath.Join("..", "..", "check", "testdata")
	cases := map[string]string{
		"lost.jsonl":          "task t2 lost",
		"duplicate.jsonl":     "second terminal state",
		"dead_dispatch.jsonl": "dispatched to replica r1",
		"backoff_cap.jsonl":   "over the cap of 400 ms",
		"starved.jsonl":       "class background starved",
		"unverified.jsonl":    "did not take effect",
		"truncated.jsonl":     "history truncated",
	}
	for name, want := range cases {
		code, out, stderr := run(t, "check", filepath.Join(dir, name))
		if code != cli.ExitFinding || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d, want 1 naming %q:\n%s%s", name, code, want, out, stderr)
		}
	}
	code, out1, _ := run(t, "check", filepath.Join(dir, "good.jsonl"))
	_, out2, _ := run(t, "check", filepath.Join(dir, "good.jsonl"), "--json")
	_, out3, _ := run(t, "check", filepath.Join(dir, "good.jsonl"), "--json")
	if code != cli.ExitOK || !strings.Contains(out1, "PASS") || out2 != out3 {
		t.Fatalf("good history: exit %d\n%s", code, out1)
	}
}

func TestCheckWithConfigOverride(t *testing.T) {
	// The good history passes with its own retry policy; checked against a
	// configuration with a smaller cap its retry delay is over the cap.
	p := filepath.Join(t.TempDir(), "pool.yaml")
	os.WriteFile(p, []byte("version: 1\npriority_classes:\n  - {name: interactive, rank: 3, weight: 6, capacity: 4}\n  - {name: batch, rank: 2, weight: 3, capacity: 4}\n  - {name: background, rank: 1, weight: 1, capacity: 4}\npools:\n  - {id: x, model_id: m}\nretry: {base_ms: 10, cap_ms: 10, max_attempts: 3, jitter_seed: 42}\n"), 0o644)
	code, out, stderr := run(t, "check", filepath.Join("..", "..", "check", "testdata", "good.jsonl"), "--config", p)
	if code != cli.ExitFinding || !strings.Contains(out, "over the cap of 10 ms") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
}

// TestContainerWithoutImageExits2: the container provider refuses to run,
// saying why, when the image is not built (or, elsewhere, when no Docker
// engine answers: the same exit 2 with the reason).
func TestContainerWithoutImageExits2(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	code, _, stderr := run(t, "run", "--provider", "container", "--image", "orchcore/refengine:never-built",
		"--faults", "none", "--duration", "2s", "--out", t.TempDir())
	if code != cli.ExitUsage || !(strings.Contains(stderr, "never-built is not built") || strings.Contains(stderr, "no Docker engine answers")) {
		t.Fatalf("exit %d, stderr %q; want 2 naming the missing image or the missing engine", code, stderr)
	}
}
