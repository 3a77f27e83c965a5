package core_test

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// self is the core's module path; configTypes is the one package outside it
// the core may import.
const (
	self        = "orchcore.dev/orchestrator-core"
	configTypes = "orchcore.dev/contracts/config-schema/config"
	testSupport = self + "/internal/proptest"
)

// disallowed returns the non-standard import paths in deps that the core
// may not depend on: anything but its own packages and the config types.
func disallowed(deps []string) []string {
	var bad []string
	for _, d := range deps {
		if d == self || strings.HasPrefix(d, self+"/") || d == configTypes {
			continue
		}
		bad = append(bad, d)
	}
	return bad
}

// goList runs the go command in the module root (the directory of this
// package) and returns its output lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = "."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.Fields(string(out))
}

// TestDependencies checks the architecture rule: the core's non-test
// packages depend on the standard library, each other and the config types,
// nothing else (no YAML or schema library through the config loader).
func TestDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH, so the dependency graph cannot be listed")
	}
	pkgs := slices.DeleteFunc(goList(t, "./..."), func(p string) bool { return p == testSupport })
	if !slices.Contains(pkgs, self) || !slices.Contains(pkgs, self+"/queue") {
		t.Fatalf("go list ./... = %v; want the core's packages", pkgs)
	}
	deps := goList(t, append([]string{"-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}, pkgs...)...)
	if !slices.Contains(deps, configTypes) {
		t.Errorf("deps = %v; want %s among them (fromconfig.go uses it), so the listing is suspect", deps, configTypes)
	}
	if bad := disallowed(deps); len(bad) > 0 {
		t.Errorf("the core depends on %v; only the standard library, %s/... and %s are allowed", bad, self, configTypes)
	}
}

// TestDisallowedRejects shows the checker refusing what the rule forbids.
func TestDisallowedRejects(t *testing.T) {
	deps := []string{
		self,
		self + "/queue",
		configTypes,
		"gopkg.in/yaml.v3",
		"orchcore.dev/contracts/config-schema/load",
		"orchcore.dev/contracts/config-schema/config/internal",
		"orchcore.dev/orchestrator-core-extra",
		"pgregory.net/rapid",
	}
	want := []string{
		"gopkg.in/yaml.v3",
		"orchcore.dev/contracts/config-schema/load",
		"orchcore.dev/contracts/config-schema/config/internal",
		"orchcore.dev/orchestrator-core-extra",
		"pgregory.net/rapid",
	}
	if got := disallowed(deps); !slices.Equal(got, want) {
		t.Errorf("disallowed = %v; want %v", got, want)
	}
	if got := disallowed([]string{self, configTypes}); len(got) != 0 {
		t.Errorf("disallowed(allowed only) = %v; want none", got)
	}
}
