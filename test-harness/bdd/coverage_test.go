package bdd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/test-harness/bdd/internal/featuretags"
	"orchcore.dev/test-harness/bdd/internal/reqid"
)

// family is the requirement family every ID of which needs a scenario.
const family = "OC-CORE"

// specIDs reads every requirement ID defined in the repo's .specs/*.md.
func specIDs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), ".specs", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .specs/*.md at the repo root (%v)", err)
	}
	var ids []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := reqid.Defined(string(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ids = append(ids, got...)
	}
	return ids
}

// gaps returns the IDs of family that have no scenario, and the tagged IDs
// that no spec defines.
func gaps(defined []string, tagged featuretags.Scenarios) (untested, unknown []string) {
	var want []string
	for _, id := range defined {
		if reqid.HasPrefix(id, family) {
			want = append(want, id)
		}
	}
	return reqid.Missing(want, tagged.IDs()), reqid.Missing(tagged.IDs(), defined)
}

func TestCoverage(t *testing.T) {
	defined := specIDs(t)
	tagged, err := featuretags.Read(os.DirFS("."), "features")
	if err != nil {
		t.Fatal(err)
	}
	untested, unknown := gaps(defined, tagged)
	if len(untested) > 0 {
		t.Errorf("%s requirements with no tagged scenario: %s", family, strings.Join(untested, ", "))
	}
	for _, id := range unknown {
		t.Errorf("tag @%s names an ID no spec defines (used by %s)", id, strings.Join(tagged[id], "; "))
	}
	for _, sc := range tagged[""] {
		t.Errorf("scenario without a requirement tag: %s", sc)
	}
}

// TestCoverageCatches shows the check failing on bad input: a defined ID
// without a scenario, and a tag no spec defines.
func TestCoverageCatches(t *testing.T) {
	defined := []string{"OC-CORE-1001", "OC-CORE-1002", "OC-TEST-7001"}
	tagged := featuretags.Scenarios{
		"OC-CORE-1001": {"a.feature: One"},
		"OC-CORE-1999": {"a.feature: Two"},
	}
	untested, unknown := gaps(defined, tagged)
	if strings.Join(untested, ",") != "OC-CORE-1002" {
		t.Errorf("untested = %v, want [OC-CORE-1002] (OC-TEST is not this suite's family)", untested)
	}
	if strings.Join(unknown, ",") != "OC-CORE-1999" {
		t.Errorf("unknown = %v, want [OC-CORE-1999]", unknown)
	}
}

// scenariosOf makes a tag index from a plain list of IDs.
func scenariosOf(ids []string) featuretags.Scenarios {
	out := featuretags.Scenarios{}
	for _, id := range ids {
		out[id] = append(out[id], "passed")
	}
	return out
}
