package provider

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"orchcore.dev/test-harness/chaos/provider/proxy"
)

// Process runs refengine child processes on loopback.
type Process struct {
	// Bin is the refengine binary.
	Bin string
	Options
	mu struct {
		sync.Mutex
		reps   []*proc
		closed bool
	}
}

type proc struct {
	r      Replica
	px     *proxy.Proxy
	cmd    *exec.Cmd
	done   chan struct{} // closed when cmd has been waited for
	paused bool
}

var _ Provider = (*Process)(nil)

// Name is "process".
func (p *Process) Name() string { return "process" }

// Start launches N children, each behind its own proxy.
func (p *Process) Start(ctx context.Context) ([]Replica, error) {
	if _, err := os.Stat(p.Bin); err != nil {
		return nil, fmt.Errorf("refengine binary: %w", err)
	}
	for i := range p.N {
		px, err := proxy.Listen("127.0.0.1:0", "127.0.0.1:1")
		if err != nil {
			p.Close()
			return nil, err
		}
		pr := &proc{px: px, r: Replica{ID: fmt.Sprintf("r%d", i), URL: "http://" + px.Addr(), Token: p.Token}}
		p.mu.Lock()
		p.mu.reps = append(p.mu.reps, pr)
		p.mu.Unlock()
		if err := p.spawn(ctx, pr); err != nil {
			p.Close()
			return nil, fmt.Errorf("replica %s: %w", pr.r.ID, err)
		}
	}
	return p.Replicas(), nil
}

// Replicas lists the replicas.
func (p *Process) Replicas() []Replica {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Replica
	for _, r := range p.mu.reps {
		out = append(out, r.r)
	}
	return out
}

func (p *Process) get(id string) (*proc, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.mu.reps {
		if r.r.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no replica %q", id)
}

// spawn starts pr's child and points its proxy at it.
func (p *Process) spawn(ctx context.Context, pr *proc) error {
	args := []string{"--addr", "127.0.0.1:0", "--parallel", strconv.Itoa(max(p.Slots, 1))}
	if p.TokenLatency > 0 {
		args = append(args, "--token-latency", p.TokenLatency.String())
	}
	cmd := exec.Command(p.Bin, args...)
	cmd.SysProcAttr = sysProcAttr()
	if p.Token != "" {
		cmd.Env = append(os.Environ(), "REFENGINE_AUTH_TOKEN="+p.Token)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, out)
	}()
	go func() { cmd.Wait(); close(done) }()
	var l string
	select {
	case l = <-line:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	url, ok := strings.CutPrefix(l, "listening on ")
	if !ok {
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("%s did not say where it listens (got %q)", p.Bin, l)
	}
	pr.cmd, pr.done, pr.paused = cmd, done, false
	pr.r.Direct = url
	pr.px.SetTarget(strings.TrimPrefix(url, "http://"))
	return nil
}

func (p *Process) signal(id string, sig syscall.Signal) (*proc, error) {
	pr, err := p.get(id)
	if err != nil {
		return nil, err
	}
	if pr.cmd == nil {
		return nil, fmt.Errorf("replica %s is not running", id)
	}
	return pr, pr.cmd.Process.Signal(sig)
}

// Kill sends SIGKILL and waits until the child is gone.
func (p *Process) Kill(ctx context.Context, id string) error {
	pr, err := p.signal(id, syscall.SIGKILL)
	if err != nil {
		return err
	}
	<-pr.done
	pr.cmd = nil
	return nil
}

// Revive starts a killed replica again.
func (p *Process) Revive(ctx context.Context, id string) error {
	pr, err := p.get(id)
	if err != nil {
		return err
	}
	if pr.cmd != nil {
		return fmt.Errorf("replica %s is running", id)
	}
	return p.spawn(ctx, pr)
}

// Pause sends SIGSTOP.
func (p *Process) Pause(ctx context.Context, id string) error {
	pr, err := p.signal(id, syscall.SIGSTOP)
	if err == nil {
		pr.paused = true
	}
	return err
}

// Resume sends SIGCONT.
func (p *Process) Resume(ctx context.Context, id string) error {
	pr, err := p.signal(id, syscall.SIGCONT)
	if err == nil {
		pr.paused = false
	}
	return err
}

// Restart sends SIGTERM, waits (SIGKILL after 5 s) and starts it again.
func (p *Process) Restart(ctx context.Context, id string) error {
	pr, err := p.signal(id, syscall.SIGTERM)
	if err != nil {
		return err
	}
	select {
	case <-pr.done:
	case <-time.After(5 * time.Second):
		pr.cmd.Process.Kill()
		<-pr.done
	}
	pr.cmd = nil
	return p.spawn(ctx, pr)
}

// Cut switches the replica's proxy to blackhole or reset.
func (p *Process) Cut(ctx context.Context, id, mode string) error {
	pr, err := p.get(id)
	if err != nil {
		return err
	}
	if mode != proxy.Blackhole && mode != proxy.Reset {
		return fmt.Errorf("cut mode %q: want blackhole or reset", mode)
	}
	pr.px.Set(mode, 0)
	return nil
}

// Uncut heals the proxy.
func (p *Process) Uncut(ctx context.Context, id string) error {
	pr, err := p.get(id)
	if err == nil {
		pr.px.Set(proxy.Normal, 0)
	}
	return err
}

// Slow switches the proxy to latency or trickle.
func (p *Process) Slow(ctx context.Context, id, mode string, delay time.Duration) error {
	pr, err := p.get(id)
	if err != nil {
		return err
	}
	if mode != proxy.Latency && mode != proxy.Trickle {
		return fmt.Errorf("slow mode %q: want latency or trickle", mode)
	}
	pr.px.Set(mode, delay)
	return nil
}

// Unslow heals the proxy.
func (p *Process) Unslow(ctx context.Context, id string) error { return p.Uncut(ctx, id) }

// SetReady posts to the replica directly.
func (p *Process) SetReady(ctx context.Context, id string, ready bool) error {
	pr, err := p.get(id)
	if err != nil {
		return err
	}
	return setReady(ctx, pr.r.Direct, p.Token, ready)
}

// State reads /proc/PID/stat: running unless gone or a zombie, paused
// when stopped (T).
func (p *Process) State(ctx context.Context, id string) (bool, bool, string, error) {
	pr, err := p.get(id)
	if err != nil {
		return false, false, "", err
	}
	if pr.cmd == nil {
		return false, false, "", nil
	}
	select {
	case <-pr.done:
		return false, false, "", nil
	default:
	}
	pid := pr.cmd.Process.Pid
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, false, "", nil
		}
		return false, false, "", err
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return false, false, "", fmt.Errorf("/proc/%d/stat: unexpected %q", pid, s)
	}
	st := s[i+2]
	return st != 'Z' && st != 'X', st == 'T' || st == 't', strconv.Itoa(pid), nil
}

// Close resumes paused children, stops every child (SIGTERM, SIGKILL after
// 3 s) and closes the proxies.
func (p *Process) Close() error {
	p.mu.Lock()
	if p.mu.closed {
		p.mu.Unlock()
		return nil
	}
	p.mu.closed = true
	reps := p.mu.reps
	p.mu.Unlock()
	var errs []error
	for _, pr := range reps {
		if pr.cmd != nil {
			pr.cmd.Process.Signal(syscall.SIGCONT)
			pr.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-pr.done:
			case <-time.After(3 * time.Second):
				pr.cmd.Process.Kill()
				<-pr.done
			}
			pr.cmd = nil
		}
		errs = append(errs, pr.px.Close())
	}
	return errors.Join(errs...)
}

// WaitHealthy waits until every replica answers /health through its proxy.
func (p *Process) WaitHealthy(ctx context.Context) error {
	for _, r := range p.Replicas() {
		if err := WaitHealthy(ctx, r.URL); err != nil {
			return err
		}
	}
	return nil
}
