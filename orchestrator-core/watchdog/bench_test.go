package watchdog_test

import (
	"fmt"
	"testing"

	"orchcore.dev/orchestrator-core/watchdog"
)

// BenchmarkHeartbeat shows Heartbeat cost growing with log n, not n.
func BenchmarkHeartbeat(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			w := watchdog.New(watchdog.Limits{WallMs: 1 << 40, IdleMs: 1000})
			ids := make([]string, n)
			for i := range ids {
				ids[i] = fmt.Sprintf("job-%d", i)
				w.Start(ids[i], int64(i))
			}
			now := int64(n)
			i := 0
			for b.Loop() {
				now++
				w.Heartbeat(ids[i], now)
				if i++; i == n {
					i = 0
				}
			}
		})
	}
}
