package policy_test

import (
	"errors"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/policy"
	"orchcore.dev/tools/spec-trace/internal/yamlx"
)

// A full requirement ID given as an area would match nothing (no ID
// starts with "DM-CORE-0001-"), so it is refused at its place, saying to
// use id instead.
func TestAreaThatIsAnID(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	src := "rules:\n  - area: DM-CORE-0001\n    require: go and gherkin\n"
	_, err := policy.Parse("p.yaml", []byte(src))
	var ye *yamlx.Error
	want := `p.yaml:2:11: "DM-CORE-0001" is a requirement ID, not an area prefix; want id: DM-CORE-0001 for one requirement, or area: DM-CORE for its area`
	if err == nil || !errors.As(err, &ye) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v; want it to start with %q", err, want)
	}
	// Negative: area prefixes that end in letters or letters and digits
	// are accepted.
	for _, area := range []string{"DM-CORE", "GEN-A1", "A"} {
		if _, err := policy.Parse("p.yaml", []byte("rules:\n  - area: "+area+"\n    require: go\n")); err != nil {
			t.Errorf("area %s: %v", area, err)
		}
	}
}
