package proptest

import (
	"fmt"
	"runtime"
	"sync"

	"pgregory.net/rapid"
)

var _ rapid.TB = (*recorder)(nil)

// recorder is a rapid.TB that records failure instead of failing a test.
// FailNow and the Skip family end the calling goroutine, as testing.T's
// do, so they must only be called from the goroutine Fails starts.
type recorder struct {
	name string

	mu     sync.Mutex
	failed bool
	first  string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Name() string              { return r.name }
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Log(...any)                {}
func (r *recorder) Skipf(string, ...any)      { r.SkipNow() }
func (r *recorder) Skip(...any)               { r.SkipNow() }
func (r *recorder) SkipNow()                  { runtime.Goexit() }
func (r *recorder) Errorf(f string, a ...any) { r.note(fmt.Sprintf(f, a...)) }
func (r *recorder) Error(a ...any)            { r.note(fmt.Sprint(a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); r.FailNow() }
func (r *recorder) Fatal(a ...any)            { r.Error(a...); r.FailNow() }
func (r *recorder) FailNow()                  { r.Fail(); runtime.Goexit() }
func (r *recorder) Fail()                     { r.note("") }

func (r *recorder) Failed() bool {
	failed, _ := r.result()
	return failed
}

// note marks the recorder failed and keeps the first non-empty message.
func (r *recorder) note(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	if r.first == "" {
		r.first = msg
	}
}

func (r *recorder) result() (bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed, r.first
}
