package runner_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/fault"
	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/internal/runner"
	"orchcore.dev/test-harness/chaos/provider"
)

// TestContainerProvider runs a short chaos run on refengine containers
// from the FROM-scratch image (built here under a tag of its own and
// removed after) on a private network: every fault kind, every invariant
// holds, and neither a container nor the network is left behind.
func TestContainerProvider(t *testing.T) {
	for _, id := range []string{"OC-CHAOS-8001", "OC-CHAOS-8004", "OC-CHAOS-8005", "OC-CHAOS-8007"} {
		t.Attr("req", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dp, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Skipf("no Docker engine answers: %v", err)
	}
	if err := dp.Health(ctx); err != nil {
		dp.Close()
		t.Skipf("no Docker engine answers: %v", err)
	}
	dp.Close()
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "..", "refengine", "build-image.sh")
	tag := "orchcore/refengine:chaos-test"
	if out, err := exec.CommandContext(ctx, script, tag).CombinedOutput(); err != nil {
		t.Fatalf("build image: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", tag).Run() })
	var cp *provider.Container
	o := runner.Options{
		Provider: "container", Replicas: 3, Slots: 2, Duration: 16 * time.Second,
		Faults: fault.Kinds, FaultDuration: time.Second, Rounds: 1, Rate: 150, Seed: 21,
		Out: t.TempDir(), TokenLatency: 10 * time.Millisecond, Drain: 30 * time.Second, CancelRate: 0.05,
		Command:    []string{"go", "test", "container-provider"},
		Thresholds: history.Thresholds{MinTasksPerClass: 20, MinBacklogFraction: 0.5, MinFaultDispatches: 1, MinCompletedPerSec: 1},
		NewProvider: func(o runner.Options) (provider.Provider, error) {
			c, err := provider.NewContainer(ctx, provider.Options{N: o.Replicas, Slots: o.Slots, TokenLatency: o.TokenLatency})
			if err != nil {
				return nil, err
			}
			c.Image, cp = tag, c
			return c, nil
		},
	}
	res, err := runner.Run(ctx, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Verdicts {
		if v.Status != check.Pass {
			t.Errorf("%s: %v (run kept in %s)", v.Name, v.Findings, keep(t, o.Out))
		}
	}
	if res.Report.Provider != "container" || len(res.Report.Faults) != len(fault.Kinds) {
		t.Fatalf("provider %s, faults %d", res.Report.Provider, len(res.Report.Faults))
	}
	if cp.Run() == "" {
		t.Fatal("no run id recorded")
	}
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label="+provider.RunLabel+"="+cp.Run()).Output()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("containers left behind: %q %v", out, err)
	}
	if cp.Network() == "" {
		t.Fatal("no network recorded")
	}
	if err := exec.Command("docker", "network", "inspect", cp.Network()).Run(); err == nil {
		t.Errorf("network %s left behind", cp.Network())
	}
}
