package bdd_test

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// repoRoot walks up from the working directory to the directory holding
// go.work.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.work above the working directory")
		}
		dir = up
	}
}

// reportDir is $BDD_REPORT_DIR, created if needed, or a temporary
// directory so that a plain go test leaves nothing behind.
func reportDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BDD_REPORT_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// seed is $BDD_SEED when set, else a fresh random non-zero seed.
func seed(t *testing.T) int64 {
	t.Helper()
	if s := os.Getenv("BDD_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n == 0 {
			t.Fatalf("BDD_SEED=%q: want a non-zero integer", s)
		}
		return n
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return int64(binary.LittleEndian.Uint64(b[:])>>1) | 1
}

// jsonOutput reports whether go test runs with -json (test2json), where
// the pretty Gherkin output would only bloat the event stream.
func jsonOutput() bool {
	f := flag.Lookup("test.v")
	return f != nil && f.Value.String() == "test2json"
}

// announce prints the scenario order seed of a run once on stderr, so it
// shows in the test output whether the run passes or fails (go test hides
// t.Log of a passing test unless -v), and logs it on t as well.
func announce(t *testing.T, test string, s int64) {
	t.Helper()
	fmt.Fprintf(os.Stderr, "bdd: %s scenario order seed %d (replay with BDD_SEED=%d)\n", test, s, s)
	t.Logf("scenario order seed %d (replay with BDD_SEED=%d)", s, s)
}
