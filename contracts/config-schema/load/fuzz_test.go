package load_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/contracts/config-schema/load"
)

// FuzzParse checks that Parse never panics and that its results keep their
// promises: a config exactly when there is no error, the same diagnostics
// every time, and every diagnostic positioned, pathed and worded.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "examples", "*"))
	broken, _ := filepath.Glob(filepath.Join("..", "cmd", "orchcfg", "testdata", "*"))
	for _, p := range append(seeds, broken...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, false)
		}
	}
	f.Add([]byte("a: &a [*a]\n"), true)
	f.Add([]byte("version: 1\npools: [{id: a, model_id: m, <<: {x: 1}}]\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, compat bool) {
		mode := load.Strict
		if compat {
			mode = load.Compat
		}
		cfg, diags, err := load.Parse("f.yaml", data, mode)
		if err != nil {
			t.Fatalf("Parse returned an error for content: %v", err)
		}
		if (cfg == nil) != load.HasErrors(diags) {
			t.Fatalf("config returned = %v with diagnostics %v", cfg != nil, diags)
		}
		if cfg == nil && len(diags) == 0 {
			t.Fatal("no config and no diagnostics")
		}
		_, again, _ := load.Parse("f.yaml", data, mode)
		if !slices.Equal(diags, again) {
			t.Fatalf("two parses differ:\n%v\n%v", diags, again)
		}
		for _, d := range diags {
			if d.File != "f.yaml" || d.Line < 1 || d.Col < 1 || d.Path == "" || !strings.Contains(d.Message, "expected") {
				t.Fatalf("malformed diagnostic %#v", d)
			}
		}
	})
}
