package runner

import (
	"path/filepath"
	"testing"

	core "orchcore.dev/orchestrator-core"
)

// TestShippedConfigsBuildPools: every configuration the repo ships (the
// loader's examples, the chaos default and configs/) loads in strict mode
// and the core builds a pool from each of its pools, so an example never
// validates in the loader only to be refused by core.FromConfig (new
// sections such as placement.prefix and placement.preemption included).
func TestShippedConfigsBuildPools(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6002")
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "contracts", "config-schema", "examples", "*.*"))
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v %v", files, err)
	}
	chaos, _ := filepath.Glob(filepath.Join("..", "..", "configs", "*.yaml"))
	files = append(append(files, chaos...), "") // "": the built-in default
	for _, f := range files {
		c, err := loadConfig(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, p := range c.Pools {
			if _, err := core.FromConfig(c, p.ID); err != nil {
				t.Errorf("%s: pool %s: %v", f, p.ID, err)
			}
		}
	}
}
