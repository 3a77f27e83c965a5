package containers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"orchcore.dev/test-harness/determinism-suite/internal/cli"
	"orchcore.dev/test-harness/determinism-suite/report"
)

func TestMain(m *testing.M) {
	// No reaper container: it would need an image from a registry. The
	// test terminates what it starts.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	os.Exit(m.Run())
}

const token = "detsuite-container-test"

func TestTwoEngineContainersByteExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-CORE-1030")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	skipWithoutDocker(t, ctx)

	buildCtx := t.TempDir()
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(buildCtx, "refengine"),
		"orchcore.dev/test-harness/refengine/cmd/refengine")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build refengine: %v\n%s", err, out)
	}
	dockerfile := "FROM scratch\nCOPY refengine /refengine\nEXPOSE 8080\nENTRYPOINT [\"/refengine\", \"--addr\", \"0.0.0.0:8080\"]\n"
	if err := os.WriteFile(filepath.Join(buildCtx, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}

	var urls []string
	for i := range 2 {
		c, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
			ContainerRequest: testcontainers.ContainerRequest{
				FromDockerfile: testcontainers.FromDockerfile{Context: buildCtx},
				Env:            map[string]string{"REFENGINE_AUTH_TOKEN": token},
				ExposedPorts:   []string{"8080/tcp"},
				HostConfigModifier: func(hc *container.HostConfig) {
					// Publish on loopback only.
					hc.PortBindings = network.PortMap{
						network.MustParsePort("8080/tcp"): {{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "0"}},
					}
				},
				WaitingFor: wait.ForLog("listening on").WithStartupTimeout(30 * time.Second),
			},
			Started: true,
		})
		// Terminate also removes the image the request built.
		testcontainers.CleanupContainer(t, c)
		if err != nil {
			t.Fatalf("container %d: %v", i, err)
		}
		port, err := c.MappedPort(ctx, "8080/tcp")
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range info.NetworkSettings.Ports[network.MustParsePort("8080/tcp")] {
			if !b.HostIP.IsLoopback() {
				t.Fatalf("container %d publishes on %v, want loopback only", i, b.HostIP)
			}
		}
		urls = append(urls, "http://127.0.0.1:"+port.Port())
	}

	seeds := filepath.Join(t.TempDir(), "seeds.txt")
	if err := os.WriteFile(seeds, []byte("1\n2\n3\n42\n1234\n65535\n65536\n2147483647\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prompts := filepath.Join(t.TempDir(), "prompts.jsonl")
	if err := os.WriteFile(prompts, []byte(`{"id":"a","text":"Once upon a time"}`+"\n"+`{"id":"b","text":"The water cycle"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := cli.Main(ctx, []string{"run", "--engine", urls[0], "--engine", urls[1], "--auth-token", token,
		"--seeds", seeds, "--prompts", prompts, "--json"}, cli.Env{Stdout: &out, Stderr: &errb})
	var r report.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("exit %d, no JSON report: %v\n%s", code, err, errb.String())
	}
	if code != 0 || r.Result != "byte-exact" || r.Trials != 16 || r.Replicas != 2 || r.UniqueOutputs != 16 {
		t.Fatalf("exit %d result %s trials %d unique %d error %q", code, r.Result, r.Trials, r.UniqueOutputs, r.Error)
	}
	for i, e := range r.Engines {
		if e.Version == "" || e.PropsError != "" {
			t.Errorf("container %d: version %q props error %q", i, e.Version, e.PropsError)
		}
	}
}

// skipWithoutDocker skips only when no Docker engine answers.
func skipWithoutDocker(t *testing.T, ctx context.Context) {
	t.Helper()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Skipf("no Docker engine answers: %v", err)
	}
	defer p.Close()
	if err := p.Health(ctx); err != nil {
		t.Skipf("no Docker engine answers: %v", err)
	}
}
