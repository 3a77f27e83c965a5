package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"orchcore.dev/test-harness/chaos/provider/proxy"
)

// DefaultImage is the image `make image` builds.
const DefaultImage = "orchcore/refengine:dev"

// Container runs refengine containers on a private Docker network. The
// runner dials the containers' own IPs on that network (through the fault
// proxies), never published ports.
type Container struct {
	Options
	Image string
	dp    *testcontainers.DockerProvider
	cli   client.APIClient
	net   *testcontainers.DockerNetwork
	token string
	run   string // this Start's id, the value of RunLabel
	mu    struct {
		sync.Mutex
		reps   []*ctr
		closed bool
	}
}

type ctr struct {
	r  Replica
	c  testcontainers.Container
	px *proxy.Proxy
}

var _ Provider = (*Container)(nil)

// NewContainer connects to Docker. It fails, saying why, when no Docker
// engine answers or the image is not there.
func NewContainer(ctx context.Context, o Options) (*Container, error) {
	// No reaper: it would need an image from a registry. Close removes
	// what the provider started.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	// testcontainers' own progress lines would drown the runner's.
	dp, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(tclog.NewNoopLogger()))
	if err != nil {
		return nil, fmt.Errorf("container provider: no Docker engine answers: %w", err)
	}
	if err := dp.Health(ctx); err != nil {
		dp.Close()
		return nil, fmt.Errorf("container provider: no Docker engine answers: %w", err)
	}
	c := &Container{Options: o, Image: DefaultImage, dp: dp, cli: dp.Client()}
	return c, nil
}

// Name is "container".
func (p *Container) Name() string { return "container" }

// Start creates the network and N containers, each behind a proxy.
func (p *Container) Start(ctx context.Context) ([]Replica, error) {
	if _, err := p.cli.ImageInspect(ctx, p.Image); err != nil {
		return nil, fmt.Errorf("image %s is not built (run make image): %w", p.Image, err)
	}
	b := make([]byte, 16)
	rand.Read(b)
	p.token = hex.EncodeToString(b)
	if p.Token != "" {
		p.token = p.Token
	}
	net, err := tcnetwork.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	p.net = net
	rand.Read(b)
	p.run = hex.EncodeToString(b[:8])
	for i := range p.N {
		px, err := proxy.Listen("127.0.0.1:0", "127.0.0.1:1")
		if err != nil {
			p.Close()
			return nil, err
		}
		cmd := []string{"--parallel", strconv.Itoa(max(p.Slots, 1))}
		if p.TokenLatency > 0 {
			cmd = append(cmd, "--token-latency", p.TokenLatency.String())
		}
		c, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
			ContainerRequest: testcontainers.ContainerRequest{
				Image: p.Image, Cmd: cmd, Networks: []string{net.Name},
				Env:        map[string]string{"REFENGINE_AUTH_TOKEN": p.token},
				Labels:     map[string]string{RunLabel: p.run},
				WaitingFor: wait.ForLog("listening on").WithStartupTimeout(30 * time.Second),
			},
			Started: true, Logger: tclog.NewNoopLogger(),
		})
		cr := &ctr{c: c, px: px, r: Replica{ID: fmt.Sprintf("r%d", i), URL: "http://" + px.Addr(), Token: p.token}}
		p.mu.Lock()
		p.mu.reps = append(p.mu.reps, cr)
		p.mu.Unlock()
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("container %s: %w", cr.r.ID, err)
		}
		if err := p.retarget(ctx, cr); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p.Replicas(), nil
}

// retarget points cr's proxy at the container's IP on the private network.
func (p *Container) retarget(ctx context.Context, cr *ctr) error {
	res, err := p.cli.ContainerInspect(ctx, cr.c.GetContainerID(), client.ContainerInspectOptions{})
	if err != nil {
		return err
	}
	ep := res.Container.NetworkSettings.Networks[p.net.Name]
	if ep == nil || !ep.IPAddress.IsValid() {
		return fmt.Errorf("container %s has no address on network %s", cr.r.ID, p.net.Name)
	}
	addr := ep.IPAddress.String() + ":8080"
	cr.r.Direct = "http://" + addr
	cr.px.SetTarget(addr)
	return nil
}

// Replicas lists the replicas.
func (p *Container) Replicas() []Replica {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Replica
	for _, r := range p.mu.reps {
		out = append(out, r.r)
	}
	return out
}

func (p *Container) get(id string) (*ctr, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.mu.reps {
		if r.r.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no replica %q", id)
}

func (p *Container) id(id string) (*ctr, string, error) {
	cr, err := p.get(id)
	if err != nil {
		return nil, "", err
	}
	return cr, cr.c.GetContainerID(), nil
}

// Kill sends SIGKILL (docker kill).
func (p *Container) Kill(ctx context.Context, id string) error {
	_, cid, err := p.id(id)
	if err == nil {
		_, err = p.cli.ContainerKill(ctx, cid, client.ContainerKillOptions{Signal: "KILL"})
	}
	return err
}

// Revive starts a killed container again and waits for it.
func (p *Container) Revive(ctx context.Context, id string) error {
	cr, cid, err := p.id(id)
	if err != nil {
		return err
	}
	if _, err := p.cli.ContainerStart(ctx, cid, client.ContainerStartOptions{}); err != nil {
		return err
	}
	return p.settle(ctx, cr)
}

func (p *Container) settle(ctx context.Context, cr *ctr) error {
	if err := p.retarget(ctx, cr); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return WaitHealthy(wctx, cr.r.Direct)
}

// Pause freezes the container (docker pause).
func (p *Container) Pause(ctx context.Context, id string) error {
	_, cid, err := p.id(id)
	if err == nil {
		_, err = p.cli.ContainerPause(ctx, cid, client.ContainerPauseOptions{})
	}
	return err
}

// Resume thaws it.
func (p *Container) Resume(ctx context.Context, id string) error {
	_, cid, err := p.id(id)
	if err == nil {
		_, err = p.cli.ContainerUnpause(ctx, cid, client.ContainerUnpauseOptions{})
	}
	return err
}

// Restart stops the container gracefully and starts it again.
func (p *Container) Restart(ctx context.Context, id string) error {
	cr, cid, err := p.id(id)
	if err != nil {
		return err
	}
	t := 5
	if _, err := p.cli.ContainerRestart(ctx, cid, client.ContainerRestartOptions{Timeout: &t}); err != nil {
		return err
	}
	return p.settle(ctx, cr)
}

// Cut disconnects the container from the private network and cuts the
// proxy's open connections (blackhole: later ones hang; reset: refused).
func (p *Container) Cut(ctx context.Context, id, mode string) error {
	cr, cid, err := p.id(id)
	if err != nil {
		return err
	}
	if mode != proxy.Blackhole && mode != proxy.Reset {
		return fmt.Errorf("cut mode %q: want blackhole or reset", mode)
	}
	if _, err := p.cli.NetworkDisconnect(ctx, p.net.ID, client.NetworkDisconnectOptions{Container: cid, Force: true}); err != nil {
		return fmt.Errorf("network disconnect: %w", err)
	}
	cr.px.Set(mode, 0)
	return nil
}

// Uncut reconnects it and heals the proxy.
func (p *Container) Uncut(ctx context.Context, id string) error {
	cr, cid, err := p.id(id)
	if err != nil {
		return err
	}
	if _, err := p.cli.NetworkConnect(ctx, p.net.ID, client.NetworkConnectOptions{Container: cid}); err != nil {
		return fmt.Errorf("network connect: %w", err)
	}
	if err := p.retarget(ctx, cr); err != nil {
		return err
	}
	cr.px.Set(proxy.Normal, 0)
	return nil
}

// Slow switches the proxy to latency or trickle.
func (p *Container) Slow(ctx context.Context, id, mode string, delay time.Duration) error {
	cr, err := p.get(id)
	if err != nil {
		return err
	}
	if mode != proxy.Latency && mode != proxy.Trickle {
		return fmt.Errorf("slow mode %q: want latency or trickle", mode)
	}
	cr.px.Set(mode, delay)
	return nil
}

// Unslow heals the proxy.
func (p *Container) Unslow(ctx context.Context, id string) error {
	cr, err := p.get(id)
	if err == nil {
		cr.px.Set(proxy.Normal, 0)
	}
	return err
}

// SetReady posts to the container directly, with the token.
func (p *Container) SetReady(ctx context.Context, id string, ready bool) error {
	cr, err := p.get(id)
	if err != nil {
		return err
	}
	return setReady(ctx, cr.r.Direct, p.token, ready)
}

// State asks Docker.
func (p *Container) State(ctx context.Context, id string) (bool, bool, string, error) {
	_, cid, err := p.id(id)
	if err != nil {
		return false, false, "", err
	}
	res, err := p.cli.ContainerInspect(ctx, cid, client.ContainerInspectOptions{})
	if err != nil {
		return false, false, "", err
	}
	st := res.Container.State
	if st == nil {
		return false, false, "", errors.New("no container state")
	}
	return st.Running, st.Paused, fmt.Sprintf("%.12s (started %s)", cid, st.StartedAt), nil
}

// Close unpauses and removes every container, then the network.
func (p *Container) Close() error {
	p.mu.Lock()
	if p.mu.closed {
		p.mu.Unlock()
		return nil
	}
	p.mu.closed = true
	reps := p.mu.reps
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, cr := range reps {
		if cr.c != nil {
			p.cli.ContainerUnpause(ctx, cr.c.GetContainerID(), client.ContainerUnpauseOptions{})
			errs = append(errs, testcontainers.TerminateContainer(cr.c))
		}
		errs = append(errs, cr.px.Close())
	}
	if p.net != nil {
		errs = append(errs, p.net.Remove(ctx))
	}
	errs = append(errs, p.dp.Close())
	return errors.Join(errs...)
}

// RunLabel is the label every container of one Start carries, with the
// run's id as value, so that a check for leftovers sees only its own run
// (other runs, from other checkouts, may share the image).
const RunLabel = "dev.orchcore.chaos.run"

// Run is the id of the last Start ("" before Start).
func (p *Container) Run() string { return p.run }

// Network is the private network's name ("" before Start).
func (p *Container) Network() string {
	if p.net == nil {
		return ""
	}
	return p.net.Name
}
