package repo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/repo"
)

func write(t *testing.T, root, rel, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanAndLocate(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	root := t.TempDir()
	write(t, root, "go.mod", "module example.com/top\n")
	write(t, root, "a/a_test.go", "package a\n\nfunc helper() {}\n\nfunc TestA(t *testing.T) {}\nfunc TestAB(t *testing.T) {}\n")
	write(t, root, "sub/go.mod", "// comment\nmodule \"example.com/top/sub\"\n")
	write(t, root, "sub/pkg/x_test.go", "package pkg\nfunc TestX(t *testing.T) {}\n")
	write(t, root, "features/a.feature", "Feature: a\n")
	write(t, root, "testdata/skip.feature", "Feature: skipped\n")
	write(t, root, ".hidden/h.feature", "Feature: hidden\n")
	write(t, root, ".specs/s.feature", "Feature: in specs\n")
	write(t, root, "vendor/v.feature", "Feature: vendored\n")
	r, err := repo.Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Features(), " "); got != ".specs/s.feature features/a.feature" {
		t.Errorf("features = %q", got)
	}
	cases := []struct {
		pkg, test, file string
		line            int
	}{
		{"example.com/top/a", "TestA", "a/a_test.go", 5},
		{"example.com/top/a", "TestAB/sub/deeper", "a/a_test.go", 6},
		{"example.com/top/sub/pkg", "TestX", "sub/pkg/x_test.go", 2},
		{"example.com/top/a", "TestMissing", "", 0},
		{"other.org/x", "TestA", "", 0},
	}
	for _, c := range cases {
		f, l := r.Locate(c.pkg, c.test)
		if f != c.file || l != c.line {
			t.Errorf("Locate(%s, %s) = %s:%d, want %s:%d", c.pkg, c.test, f, l, c.file, c.line)
		}
	}
}
