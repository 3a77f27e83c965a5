package bdd_test

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"orchcore.dev/test-harness/bdd/internal/reqid"
)

// cucumberFeature is the part of godog's cucumber JSON this test reads.
type cucumberFeature struct {
	Elements []struct {
		Name string `json:"name"`
		Tags []struct {
			Name string `json:"name"`
		} `json:"tags"`
		Steps []struct {
			Result struct {
				Status string `json:"status"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

// passedIDs returns the requirement IDs tagged on the scenarios of a
// cucumber report whose every step passed.
func passedIDs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var feats []cucumberFeature
	if err := json.Unmarshal(b, &feats); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var ids []string
	for _, f := range feats {
		for _, sc := range f.Elements {
			ok := len(sc.Steps) > 0
			for _, st := range sc.Steps {
				ok = ok && st.Result.Status == "passed"
			}
			if !ok {
				continue
			}
			for _, tag := range sc.Tags {
				got, _, _ := reqid.FromTag(tag.Name)
				ids = append(ids, got...)
			}
		}
	}
	return ids
}

// checkReport fails when an OC-CORE requirement of .specs/ has no passing
// scenario in the cucumber report. It is skipped when -run selects only
// some scenarios.
func checkReport(t *testing.T, path string) {
	t.Helper()
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		t.Logf("-run is set: not checking that every requirement passed")
		return
	}
	untested, _ := gaps(specIDs(t), scenariosOf(passedIDs(t, path)))
	if len(untested) > 0 {
		t.Errorf("%s requirements without a passing scenario in %s: %s", family, path, strings.Join(untested, ", "))
	}
}

// TestPassedIDs shows that a failed or undefined scenario does not count.
func TestPassedIDs(t *testing.T) {
	report := `[{"elements":[
	 {"name":"ok","tags":[{"name":"@OC-CORE-1002"},{"name":"@area"}],"steps":[{"result":{"status":"passed"}}]},
	 {"name":"bad","tags":[{"name":"@OC-CORE-1001"}],"steps":[{"result":{"status":"passed"}},{"result":{"status":"failed"}}]},
	 {"name":"undef","tags":[{"name":"@OC-CORE-1003"}],"steps":[{"result":{"status":"undefined"}}]},
	 {"name":"empty","tags":[{"name":"@OC-CORE-1004"}],"steps":[]}]}]`
	path := t.TempDir() + "/cucumber.json"
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(passedIDs(t, path), ","); got != "OC-CORE-1002" {
		t.Fatalf("passedIDs = %q, want only OC-CORE-1002", got)
	}
}
