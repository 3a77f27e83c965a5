package watchdog_test

// The saturating deadline at and around exact equality (make mutation,
// docs/mutation.md). The mutant a >= MaxInt64-b of the guard survives
// this test by design: at exact equality the true sum is MaxInt64, the
// saturated value, so the two programs agree; the test pins the values
// on both sides so that any guard that does differ is caught.

import (
	"math"
	"testing"

	"orchcore.dev/orchestrator-core/watchdog"
)

func TestDeadlineSaturatesExactly(t *testing.T) {
	const wall = 1000
	cases := []struct {
		name  string
		start int64
		want  int64
	}{
		{"two below the edge", math.MaxInt64 - wall - 1, 9223372036854775806},
		{"sum exactly MaxInt64", math.MaxInt64 - wall, 9223372036854775807},
		{"one past: saturates", math.MaxInt64 - wall + 1, 9223372036854775807},
		{"start at MaxInt64", math.MaxInt64, 9223372036854775807},
		{"negative start", -wall - 5, -5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1022")
			w := watchdog.New(watchdog.Limits{WallMs: wall, IdleMs: wall + 1})
			w.Start("j", c.start)
			got, ok := w.Next()
			if !ok || got != c.want {
				t.Fatalf("deadline of a job started at %d = %d, %v; want %d", c.start, got, ok, c.want)
			}
			if es := w.Expired(c.want - 1); len(es) != 0 {
				t.Fatalf("expired before its deadline: %v", es)
			}
			es := w.Expired(c.want)
			if len(es) != 1 || es[0].Kind != watchdog.Wall || es[0].DeadlineMs != c.want {
				t.Fatalf("Expired(%d) = %v, want j WALL at %d", c.want, es, c.want)
			}
		})
	}
}
