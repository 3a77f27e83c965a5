package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
)

// diffPair writes an old report where R-0001 is proven and a new one where
// it fails.
func diffPair(t *testing.T) (old, cur string) {
	t.Helper()
	root, pass := writeRepo(t, "pass")
	_, fail := writeRepo(t, "fail")
	dir := t.TempDir()
	for name, stream := range map[string]string{"old": pass, "new": fail} {
		if code, _, e := run(t, "--root", root, "--results", stream, "--out", filepath.Join(dir, name), "--format", "json"); code != cli.OK {
			t.Fatal(e)
		}
	}
	return filepath.Join(dir, "old", "coverage.json"), filepath.Join(dir, "new", "coverage.json")
}

// Flags may come before, between or after the two reports, as issues and
// CI scripts write them.
func TestDiffFlagsAnywhere(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	old, cur := diffPair(t)
	for name, args := range map[string][]string{
		"after":   {old, cur, "--fail-on-regression"},
		"between": {old, "--fail-on-regression", cur},
		"mixed":   {"--format", "json", old, cur, "--fail-on-regression"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9005")
			code, out, errs := run(t, append([]string{"diff"}, args...)...)
			if code != cli.Gate || !strings.Contains(out, "R-0001") {
				t.Errorf("exit %d (want 1), stdout %q, stderr %q", code, out, errs)
			}
		})
	}
	code, _, errs := run(t, "diff", old, cur, "--fail-on-regression", "extra.json")
	if code != cli.Usage || !strings.Contains(errs, "extra.json") {
		t.Errorf("extra argument: exit %d, stderr %q; want 2 naming extra.json", code, errs)
	}
}

func TestMainFlagsAfterStrayArgument(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	root, stream := writeRepo(t, "pass")
	code, _, errs := run(t, "--root", root, "stray", "--results", stream)
	if code != cli.Usage || !strings.Contains(errs, `"stray"`) {
		t.Errorf("exit %d, stderr %q; want 2 naming stray", code, errs)
	}
}
