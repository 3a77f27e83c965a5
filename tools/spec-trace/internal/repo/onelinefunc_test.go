package repo_test

import (
	"testing"

	"orchcore.dev/tools/spec-trace/internal/repo"
)

// Function bodies are found by parsing, not by a brace in column 0: a
// one-line test, or one whose closing brace is indented, has a source
// hash of its own, and it changes only when that function changes.
func TestSourceOfOneLineFunctions(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	src := func(a, c string) string {
		return "package a\n\nimport \"testing\"\n\n" +
			"func TestA(t *testing.T) { t.Attr(\"req\", \"" + a + "\") }\n" +
			"func TestB(t *testing.T) { t.Attr(\"req\", \"B-1\") }\n" +
			"func TestC(t *testing.T) {\n\tt.Attr(\"req\", \"" + c + "\")\n\t}\n" +
			"var s = `\n}\n`\n" +
			"func TestD(t *testing.T) {\n\t_ = `\n}\n`\n}\n"
	}
	hashes := func(body string) map[string]string {
		root := t.TempDir()
		write(t, root, "go.mod", "module example.com/m\n")
		write(t, root, "a/a_test.go", body)
		r, err := repo.Scan(root)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, n := range []string{"TestA", "TestB", "TestC", "TestD"} {
			out[n] = r.Source("example.com/m/a", n)
			if out[n] == "" {
				t.Errorf("%s has no source hash", n)
			}
		}
		if file, line := r.Locate("example.com/m/a", "TestB/sub"); file != "a/a_test.go" || line != 6 {
			t.Errorf("TestB at %s:%d, want a/a_test.go:6", file, line)
		}
		return out
	}
	one := hashes(src("A-1", "C-1"))
	if one["TestA"] == one["TestB"] {
		t.Error("two different one-line functions share a hash")
	}
	two := hashes(src("A-2", "C-1"))
	if two["TestA"] == one["TestA"] {
		t.Error("editing TestA kept its hash")
	}
	for _, n := range []string{"TestB", "TestC", "TestD"} {
		if two[n] != one[n] {
			t.Errorf("editing TestA changed the hash of %s", n)
		}
	}
	three := hashes(src("A-1", "C-2"))
	if three["TestC"] == one["TestC"] || three["TestD"] != one["TestD"] || three["TestA"] != one["TestA"] {
		t.Errorf("editing TestC (indented closing brace): %v, before %v", three, one)
	}
}
