package cli_test

import (
	"path/filepath"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// A one-line Go test has a source hash, so the requirement it proves can
// go stale.
func TestOneLineTestGoesStale(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	root := t.TempDir()
	writeFile(t, root, "go.mod", "module ex.test/m\n\ngo 1.26\n")
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. The first rule.\n")
	writeFile(t, root, "p/p_test.go", "package p\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) { t.Attr(\"req\", \"A-1\") }\nfunc TestTwo(t *testing.T) {}\n")
	stream := writeFile(t, root, "go.json", `{"Action":"run","Package":"ex.test/m/p","Test":"TestOne"}
{"Action":"attr","Package":"ex.test/m/p","Test":"TestOne","Key":"req","Value":"A-1"}
{"Action":"pass","Package":"ex.test/m/p","Test":"TestOne"}
{"Action":"pass","Package":"ex.test/m/p"}
`)
	args := []string{"--root", root, "--results", stream, "--format", "json"}
	base := filepath.Join(t.TempDir(), "base")
	if code, _, stderr := run(t, append(args, "--out", base)...); code != 0 {
		t.Fatalf("base run: %d %s", code, stderr)
	}
	for _, q := range readReport(t, base+"/coverage.json").Requirements {
		if len(q.Tests) != 1 || q.Tests[0].Hash == "" {
			t.Fatalf("the one-line test has no source hash: %+v", q.Tests)
		}
	}
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. The first rule, now stricter.\n")
	head := filepath.Join(t.TempDir(), "head")
	with := append(args, "--out", head, "--baseline", base+"/coverage.json")
	run(t, with...)
	if s := statuses(t, head+"/coverage.json"); s["A-1"] != model.Stale {
		t.Errorf("rule changed, one-line test kept: %v, want A-1 stale", s)
	}
	// Negative: once the one-line test changes, A-1 is proven again.
	writeFile(t, root, "p/p_test.go", "package p\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) { t.Attr(\"req\", \"A-1\"); t.Log(\"stricter\") }\nfunc TestTwo(t *testing.T) {}\n")
	run(t, with...)
	if s := statuses(t, head+"/coverage.json"); s["A-1"] != model.Proven {
		t.Errorf("after the test changed too: %v, want A-1 proven", s)
	}
}
