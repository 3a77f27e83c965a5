package proptest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const self = "orchcore.dev/orchestrator-core/internal/proptest"

// importers walks root and returns the non-test Go files that import
// this package, and how many non-test files it read.
func importers(root string) (bad []string, read int, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		read++
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				bad = append(bad, filepath.ToSlash(path))
			}
		}
		return nil
	})
	return bad, read, err
}

func TestNoProductionImporter(t *testing.T) {
	root := filepath.Join("..", "..")
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module orchcore.dev/orchestrator-core\n") {
		t.Fatalf("%s is not the core module's root (go.mod: %v)", root, err)
	}
	bad, read, err := importers(root)
	if err != nil {
		t.Fatal(err)
	}
	if read < 20 {
		t.Fatalf("read only %d non-test files under %s; the scan missed the module", read, root)
	}
	if len(bad) > 0 {
		t.Errorf("non-test code imports %s (test support only): %v", self, bad)
	}
}

// The scan must catch a production importer and ignore test files.
func TestImportersCatchesProductionImport(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bad.go":          "package x\n\nimport _ \"" + self + "\"\n",
		"ok_test.go":      "package x\n\nimport \"" + self + "\"\n",
		"sub/also.go":     "package y\n\nimport (\n\t\"fmt\"\n\tp \"" + self + "\"\n)\n",
		"testdata/fix.go": "package z\n\nimport _ \"" + self + "\"\n",
		"clean.go":        "package x\n\nimport \"fmt\"\n",
	}
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bad, read, err := importers(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.ToSlash(filepath.Join(dir, "bad.go")), filepath.ToSlash(filepath.Join(dir, "sub", "also.go"))}
	slices.Sort(bad)
	if !slices.Equal(bad, want) {
		t.Errorf("importers = %v, want %v", bad, want)
	}
	if read != 3 {
		t.Errorf("read %d non-test files, want 3 (bad.go, sub/also.go, clean.go)", read)
	}
}
