package proxy

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Modes.
const (
	Normal    = "normal"
	Blackhole = "blackhole"
	Reset     = "reset"
	Latency   = "latency"
	Trickle   = "trickle"
)

// Proxy forwards one listen address to one target.
type Proxy struct {
	ln net.Listener
	wg sync.WaitGroup
	mu struct {
		sync.Mutex
		target string
		mode   string
		delay  time.Duration
		conns  map[net.Conn]bool
		held   chan struct{} // closed when a blackhole ends
		closed bool
	}
}

// Listen starts a proxy on addr (e.g. 127.0.0.1:0) forwarding to target.
func Listen(addr, target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln}
	p.mu.target, p.mu.mode = target, Normal
	p.mu.conns = map[net.Conn]bool{}
	p.mu.held = make(chan struct{})
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's own address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget moves later connections to target.
func (p *Proxy) SetTarget(target string) {
	p.mu.Lock()
	p.mu.target = target
	p.mu.Unlock()
}

// Mode is the current mode.
func (p *Proxy) Mode() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mu.mode
}

// Set switches the mode; delay is the latency per chunk for Latency and
// Trickle. Blackhole and Reset close every open connection.
func (p *Proxy) Set(mode string, delay time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.mu.mode
	p.mu.mode, p.mu.delay = mode, delay
	if mode == Blackhole || mode == Reset {
		for c := range p.mu.conns {
			reset(c)
		}
	}
	if old == Blackhole && mode != Blackhole {
		close(p.mu.held)
		p.mu.held = make(chan struct{})
	}
}

// Close stops the proxy and every connection.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.mu.closed = true
	for c := range p.mu.conns {
		reset(c)
	}
	if p.mu.mode == Blackhole {
		close(p.mu.held)
		p.mu.mode = Normal
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func reset(c net.Conn) {
	if t, ok := c.(*net.TCPConn); ok {
		t.SetLinger(0)
	}
	c.Close()
}

func (p *Proxy) track(c net.Conn, on bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on && p.mu.closed {
		return false
	}
	if on {
		p.mu.conns[c] = true
	} else {
		delete(p.mu.conns, c)
	}
	return true
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(c net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	mode, target, held := p.mu.mode, p.mu.target, p.mu.held
	p.mu.Unlock()
	switch mode {
	case Reset:
		reset(c)
		return
	case Blackhole:
		if !p.track(c, true) {
			reset(c)
			return
		}
		<-held // never answered; closed when the cut heals
		p.track(c, false)
		reset(c)
		return
	}
	up, err := net.DialTimeout("tcp", target, 2*time.Second)
	if err != nil {
		reset(c)
		return
	}
	if !p.track(c, true) || !p.track(up, true) {
		reset(c)
		reset(up)
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(up, c, false) }()
	go func() { defer wg.Done(); p.pipe(c, up, true) }()
	wg.Wait()
	p.track(c, false)
	p.track(up, false)
}

// pipe copies src to dst; slow applies the proxy's slow mode (replica to
// client direction).
func (p *Proxy) pipe(dst, src net.Conn, slow bool) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			mode, delay := p.mu.mode, p.mu.delay
			p.mu.Unlock()
			chunk := buf[:n]
			switch {
			case !slow:
			case mode == Latency:
				time.Sleep(delay)
			case mode == Trickle:
				for len(chunk) > 16 {
					time.Sleep(delay / 4)
					if _, werr := dst.Write(chunk[:16]); werr != nil {
						return
					}
					chunk = chunk[16:]
				}
				time.Sleep(delay / 4)
			}
			if _, werr := dst.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
