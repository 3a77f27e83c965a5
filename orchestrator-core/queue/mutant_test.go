package queue_test

import (
	"flag"
	"runtime"
	"sort"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/queue"
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

// TestPropertyCatchesMutants shows the model-based property is not
// vacuous: each deliberately broken queue is caught.
func TestPropertyCatchesMutants(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	names := make([]string, 0, len(queue.Mutants))
	for n := range queue.Mutants {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			restore := queue.SetMutant(queue.Mutants[n])
			defer restore()
			if !fails(t, queueMachine) {
				t.Errorf("the property passed on the broken variant %s", n)
			}
		})
	}
}
