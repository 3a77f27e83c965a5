package proptest_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/proptest"
)

func TestFailsOnCounterexample(t *testing.T) {
	props := map[string]func(*rapid.T){
		"fatal": func(t *rapid.T) {
			if n := rapid.IntRange(0, 100).Draw(t, "n"); n > 10 {
				t.Fatalf("n=%d is too big", n)
			}
		},
		"error": func(t *rapid.T) {
			if n := rapid.IntRange(0, 100).Draw(t, "n"); n > 10 {
				t.Errorf("n=%d is too big", n)
			}
		},
		"panic": func(t *rapid.T) {
			if n := rapid.IntRange(0, 100).Draw(t, "n"); n > 10 {
				panic("n is too big")
			}
		},
	}
	for _, name := range []string{"fatal", "error", "panic"} {
		t.Run(name, func(t *testing.T) {
			failed, first := proptest.Fails(t, props[name])
			if !failed {
				t.Fatal("a property with a counterexample was reported as passing")
			}
			if !strings.Contains(first, "too big") {
				t.Errorf("first message %q does not carry the property's failure", first)
			}
			if t.Failed() {
				t.Error("Fails failed the calling test")
			}
		})
	}
}

func TestPassingPropertyDoesNotFail(t *testing.T) {
	runs := 0
	failed, first := proptest.Fails(t, func(t *rapid.T) {
		runs++
		if n := rapid.IntRange(0, 100).Draw(t, "n"); n < 0 || n > 100 {
			t.Fatalf("drew %d outside [0, 100]", n)
		}
	})
	if failed {
		t.Fatalf("a passing property was reported as failing: %s", first)
	}
	want := 5 * 1000 // every round runs when no counterexample turns up
	if testing.Short() {
		want /= 5 // rapid runs a fifth of the checks under -short
	}
	if runs < want {
		t.Errorf("the property ran %d times, want at least %d", runs, want)
	}
}

func TestSkippingPropertyIsNoCounterexample(t *testing.T) {
	failed, first := proptest.Fails(t, func(t *rapid.T) {
		rapid.Int().Draw(t, "n")
		t.Skip("never valid")
	})
	if failed {
		t.Fatalf("a property without a valid case was reported as failing: %s", first)
	}
	if !strings.Contains(first, "valid") {
		t.Errorf("the reason %q does not say why nothing was checked", first)
	}
}

func TestFlagsRestoredAndNoFailFile(t *testing.T) {
	want := map[string]string{"rapid.nofailfile": "false", "rapid.checks": "1234", "rapid.shrinktime": "7s"}
	for name, v := range want {
		f := flag.Lookup(name)
		prev := f.Value.String()
		if err := flag.Set(name, v); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = flag.Set(name, prev) })
	}
	failed, _ := proptest.Fails(t, func(t *rapid.T) { t.Fatal("always") })
	if !failed {
		t.Fatal("an always-failing property was reported as passing")
	}
	for name, v := range want {
		if got := flag.Lookup(name).Value.String(); got != v {
			t.Errorf("flag %s = %q after Fails, want %q", name, got, v)
		}
	}
	dir := filepath.Join("testdata", "rapid", t.Name())
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Fails left a fail file directory %s (stat error %v)", dir, err)
	}
}
