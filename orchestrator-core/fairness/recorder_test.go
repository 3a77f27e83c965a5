package fairness_test

import (
	"flag"
	"runtime"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/fairness"
)

// recorder is a rapid.TB that records failure instead of failing the
// enclosing test, so a test can assert that a property DOES fail.
type recorder struct {
	testing.TB // only for the methods rapid does not call
	mu         sync.Mutex
	failed     bool
	name       string
}

func (r *recorder) Helper()               {}
func (r *recorder) Name() string          { return r.name }
func (r *recorder) Logf(string, ...any)   {}
func (r *recorder) Log(...any)            {}
func (r *recorder) Skipf(string, ...any)  { runtime.Goexit() }
func (r *recorder) Skip(...any)           { runtime.Goexit() }
func (r *recorder) SkipNow()              { runtime.Goexit() }
func (r *recorder) Errorf(string, ...any) { r.Fail() }
func (r *recorder) Error(...any)          { r.Fail() }
func (r *recorder) Fatalf(string, ...any) { r.FailNow() }
func (r *recorder) Fatal(...any)          { r.FailNow() }
func (r *recorder) FailNow()              { r.Fail(); runtime.Goexit() }
func (r *recorder) Fail()                 { r.mu.Lock(); r.failed = true; r.mu.Unlock() }
func (r *recorder) Failed() bool          { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }

// fails reports whether rapid finds a counterexample to prop. Fail files
// are switched off so that expected failures leave nothing behind.
func fails(t *testing.T, prop func(*rapid.T)) bool {
	t.Helper()
	prev := flag.Lookup("rapid.nofailfile").Value.String()
	if err := flag.Set("rapid.nofailfile", "true"); err != nil {
		t.Fatal(err)
	}
	defer flag.Set("rapid.nofailfile", prev)
	r := &recorder{TB: t, name: t.Name()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rapid.Check(r, prop)
	}()
	<-done
	return r.Failed()
}

// roundRobin ignores weights: each backlogged class in turn.
type roundRobin struct{ next int }

func (r *roundRobin) Peek(b uint64) (int, bool) {
	for i := range 64 {
		if k := (r.next + i) % 64; b&(1<<k) != 0 {
			return k, true
		}
	}
	return 0, false
}
func (r *roundRobin) Commit(k int, _ uint64) { r.next = k + 1 }

// TestPropertyCatchesUnfairPickers shows the starvation property is not
// vacuous: strict priority and weight-blind round robin both fail it.
func TestPropertyCatchesUnfairPickers(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	bad := map[string]func([]int) fairness.Picker{
		"strict":      func(w []int) fairness.Picker { s, _ := fairness.NewStrict(len(w)); return s },
		"round-robin": func([]int) fairness.Picker { return &roundRobin{} },
	}
	for _, name := range []string{"strict", "round-robin"} {
		t.Run(name, func(t *testing.T) {
			if !fails(t, starvation(bad[name])) {
				t.Errorf("the starvation property passed for %s", name)
			}
		})
	}
}
