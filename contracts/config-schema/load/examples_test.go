package load_test

import (
	"path/filepath"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	"orchcore.dev/contracts/config-schema/load"
)

// TestExamplesValidate loads every file shipped in examples/, in strict mode.
func TestExamplesValidate(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6002")
	files := examples(t)
	if len(files) < 4 {
		t.Fatalf("found %d examples, want at least minimal, home, multi-pool and one JSON file", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Attr("req", "OC-CONFIG-6002")
			cfg, diags, err := load.File(f, load.Strict)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if cfg == nil {
				t.Fatal("no config returned")
			}
		})
	}
}

// TestExampleContents pins what each named example is meant to show.
func TestExampleContents(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6002")
	load := func(name string) *config.Config {
		t.Helper()
		cfg, diags, err := load.File(filepath.Join("..", "examples", name), load.Strict)
		if err != nil || cfg == nil {
			t.Fatalf("%s: %v %v", name, err, diags)
		}
		return cfg
	}
	if m := load("minimal.yaml"); len(m.Pools) != 1 || len(m.PriorityClasses) != 0 {
		t.Errorf("minimal.yaml: %d pools, %d classes; want 1 pool and default classes", len(m.Pools), len(m.PriorityClasses))
	}
	h := load("home.yaml")
	if len(h.PriorityClasses) != 3 || len(h.Pools) != 2 {
		t.Errorf("home.yaml: %d classes, %d pools; want 3 and 2", len(h.PriorityClasses), len(h.Pools))
	} else if h.Pools[0].DeviceMask[0] != 0 || h.Pools[1].DeviceMask[0] != 1 {
		t.Errorf("home.yaml: device masks %v %v, want [0] [1]", h.Pools[0].DeviceMask, h.Pools[1].DeviceMask)
	}
	mp := load("multi-pool.yaml")
	if len(mp.Pools) < 2 || len(mp.ReplicaSets) < len(mp.Pools) {
		t.Errorf("multi-pool.yaml: %d pools, %d replica sets; want several pools each with a replica set", len(mp.Pools), len(mp.ReplicaSets))
	}
}

func examples(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml", "*.json"} {
		m, err := filepath.Glob(filepath.Join("..", "examples", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}
