package cli

import (
	"fmt"
	"strconv"
	"sync"

	"orchcore.dev/test-harness/determinism-suite/suite"
)

// progress draws `[ 37/128] trials, 0 divergent` on a terminal's stderr.
type progress struct {
	env   Env
	width int
	mu    sync.Mutex
	drawn bool
}

func newProgress(env Env, total int) *progress {
	return &progress{env: env, width: len(strconv.Itoa(total))}
}

func (p *progress) update(s suite.Progress) {
	if !p.env.StderrTTY {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.env.Stderr, "\r[%*d/%d] trials, %d divergent", p.width, s.Done, s.Total, s.Divergent)
	p.drawn = true
}

func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.env.Stderr)
	}
}
