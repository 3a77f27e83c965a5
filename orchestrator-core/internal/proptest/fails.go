package proptest

import (
	"flag"
	"strconv"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"
)

// minChecks is the fewest cases one round gives a broken variant to fail.
const minChecks = 1000

// rounds is how many rounds Fails runs, each with a fresh random seed,
// before it concludes there is no counterexample. A rare counterexample
// (one in a few thousand cases) is then found almost surely, so a
// negative test does not flake.
const rounds = 5

// noValid starts rapid's report of a property that generated no valid
// case: a precondition problem, not a counterexample.
const noValid = "[rapid] only generated"

var mu sync.Mutex // rapid's flags are process-wide

// Fails runs rapid.Check on prop and reports whether rapid found a
// counterexample, with the first failure message rapid reported. It
// never fails t because prop fails; it fails t only when rapid's flags
// cannot be set.
func Fails(t testing.TB, prop func(*rapid.T)) (failed bool, first string) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	defer setFlags(t, map[string]string{
		"rapid.nofailfile": "true",
		"rapid.shrinktime": "500ms",
		"rapid.checks":     strconv.Itoa(max(minChecks, intFlag(t, "rapid.checks"))),
	})()

	for range rounds {
		failed, first = round(t, prop)
		if failed {
			return true, first
		}
	}
	return false, first
}

// round runs one rapid.Check of prop on a recorder.
func round(t testing.TB, prop func(*rapid.T)) (failed bool, first string) {
	t.Helper()
	r := &recorder{name: t.Name()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rapid.Check(r, prop)
	}()
	<-done

	failed, first = r.result()
	if failed && strings.HasPrefix(first, noValid) {
		t.Logf("no counterexample: %s", first)
		return false, first
	}
	return failed, first
}

// setFlags sets each flag and returns a func that restores the old values.
func setFlags(t testing.TB, values map[string]string) func() {
	t.Helper()
	old := map[string]string{}
	for name, v := range values {
		f := flag.Lookup(name)
		if f == nil {
			t.Fatalf("proptest: no flag %s", name)
		}
		old[name] = f.Value.String()
		if err := flag.Set(name, v); err != nil {
			t.Fatalf("proptest: %v", err)
		}
	}
	return func() {
		for name, v := range old {
			if err := flag.Set(name, v); err != nil {
				t.Errorf("proptest: restore %s: %v", name, err)
			}
		}
	}
}

func intFlag(t testing.TB, name string) int {
	t.Helper()
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("proptest: no flag %s", name)
	}
	n, err := strconv.Atoi(f.Value.String())
	if err != nil {
		t.Fatalf("proptest: flag %s: %v", name, err)
	}
	return n
}
