package fault

import (
	"fmt"
	"strings"

	"orchcore.dev/test-harness/chaos/internal/seed"
)

// Fault kinds.
const (
	Kill    = "kill"
	Pause   = "pause"
	Cut     = "cut"
	Slow    = "slow"
	Restart = "restart"
	Flap    = "flap"
)

// Kinds lists every kind, in the order "all" expands to.
var Kinds = []string{Kill, Pause, Cut, Slow, Restart, Flap}

// Fault is one planned fault.
type Fault struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Target string `json:"target"`
	// StartMs and DurationMs place it on the run's clock.
	StartMs    int64 `json:"start_ms"`
	DurationMs int64 `json:"duration_ms"`
	// Mode is the variant: blackhole or reset for cut, latency or
	// trickle for slow.
	Mode string `json:"mode,omitempty"`
}

// ParseKinds reads "kill,pause,..." or "all" or "none".
func ParseKinds(s string) ([]string, error) {
	switch s {
	case "all":
		return append([]string(nil), Kinds...), nil
	case "none", "":
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		ok := false
		for _, known := range Kinds {
			ok = ok || k == known
		}
		if !ok {
			return nil, fmt.Errorf("unknown fault kind %q (known: %s, all, none)", k, strings.Join(Kinds, ", "))
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, nil
}

// Plan lays out rounds copies of every kind, in a seeded order, on
// seeded targets, back to back with a gap of durMs between them, from
// 10% of the load phase on. It refuses a timeline that ends after 90% of
// it.
func Plan(root uint64, kinds []string, replicas []string, loadMs, durMs int64, rounds int) ([]Fault, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	if len(replicas) == 0 {
		return nil, fmt.Errorf("no replicas to inject faults into")
	}
	if durMs <= 0 || rounds < 1 {
		return nil, fmt.Errorf("fault duration and rounds must be above 0")
	}
	n := int64(len(kinds) * rounds)
	start := loadMs / 10
	need := n * 2 * durMs
	if start+need > loadMs*9/10 {
		return nil, fmt.Errorf("fault schedule of %d faults of %d ms with %d ms gaps needs %d ms from %d ms on, longer than the run's %d ms load phase (at most until %d ms)",
			n, durMs, durMs, need, start, loadMs, loadMs*9/10)
	}
	r := seed.Stream(root, "faults")
	var seq []string
	for range rounds {
		round := append([]string(nil), kinds...)
		r.Shuffle(len(round), func(i, j int) { round[i], round[j] = round[j], round[i] })
		seq = append(seq, round...)
	}
	out := make([]Fault, 0, len(seq))
	t := start
	for i, k := range seq {
		f := Fault{ID: fmt.Sprintf("f%d", i+1), Kind: k, Target: replicas[r.IntN(len(replicas))],
			StartMs: t, DurationMs: durMs}
		switch k {
		case Cut:
			f.Mode = []string{"blackhole", "reset"}[r.IntN(2)]
		case Slow:
			f.Mode = []string{"latency", "trickle"}[r.IntN(2)]
		}
		out = append(out, f)
		t += 2 * durMs
	}
	return out, nil
}
