package cli_test

import (
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
)

// llama.cpp's error line as the first line of a stream (HTTP 200), as it
// answers a prompt that exceeds the context, surfaces with the engine's
// message and exit 2 on both APIs, printed once and on stderr.
func TestErrorBeforeFirstEvent(t *testing.T) {
	for _, api := range []string{"llamacpp", "openai"} {
		a, b := fake(t, fakellama.Options{ErrorFirst: true}), fake(t, fakellama.Options{ErrorFirst: true})
		o := detsuite(t, "run", "--api", api, "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
		if o.code != 2 || !strings.Contains(o.stderr, fakellama.ContextError) || !strings.Contains(o.stderr, "after 0 events") {
			t.Errorf("%s: exit %d stderr %q", api, o.code, o.stderr)
		}
		if n := strings.Count(o.stdout+o.stderr, fakellama.ContextError); n != 1 {
			t.Errorf("%s: the message is printed %d times:\n%s%s", api, n, o.stdout, o.stderr)
		}
		if r, _ := jsonReport(t, "run", "--api", api, "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t)); r.ExitCode != 2 || !strings.Contains(r.Error, fakellama.ContextError) {
			t.Errorf("%s: json exit %d error %q", api, r.ExitCode, r.Error)
		}
	}
}
