package determinism_test

import (
	"flag"
	"fmt"
	"testing"
)

func setFlags(t *testing.T, values map[string]string) func() {
	old := map[string]string{}
	for k, v := range values {
		f := flag.Lookup(k)
		if f == nil {
			t.Fatalf("no flag %s", k)
		}
		old[k] = f.Value.String()
		if err := flag.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for k, v := range old {
			_ = flag.Set(k, v)
		}
	}
}

// recordTB is a rapid.TB that records failure instead of failing, so a
// test can show that a property rejects a broken implementation.
type recordTB struct {
	name   string
	failed bool
	first  string
}

func (r *recordTB) Helper()                   {}
func (r *recordTB) Name() string              { return r.name }
func (r *recordTB) Logf(string, ...any)       {}
func (r *recordTB) Log(...any)                {}
func (r *recordTB) Skipf(string, ...any)      {}
func (r *recordTB) Skip(...any)               {}
func (r *recordTB) SkipNow()                  {}
func (r *recordTB) Errorf(f string, a ...any) { r.fail(fmt.Sprintf(f, a...)) }
func (r *recordTB) Error(a ...any)            { r.fail(fmt.Sprint(a...)) }
func (r *recordTB) Fatalf(f string, a ...any) { r.fail(fmt.Sprintf(f, a...)) }
func (r *recordTB) Fatal(a ...any)            { r.fail(fmt.Sprint(a...)) }
func (r *recordTB) FailNow()                  { r.failed = true }
func (r *recordTB) Fail()                     { r.failed = true }
func (r *recordTB) Failed() bool              { return r.failed }
func (r *recordTB) fail(msg string) {
	if !r.failed {
		r.first = msg
	}
	r.failed = true
}
