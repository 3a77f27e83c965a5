package suite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// skewed is a replica whose stream for a seed changes at a chosen token.
type skewed struct{ at map[uint64]int }

func (s *skewed) Complete(_ context.Context, r suite.Request) (transcript.Stream, error) {
	var out transcript.Stream
	for i := range r.Params.NPredict {
		id := int(r.Seed)*31 + i
		if at, ok := s.at[r.Seed]; ok && at == i {
			id = 1_000_000 + i // another id (negative ids mean withheld)
		}
		p := fmt.Sprint(id)
		out.Tokens, out.Pieces, out.Content = append(out.Tokens, id), append(out.Pieces, p), out.Content+p
	}
	return out, nil
}

// The runner against a plain model: a divergence is expected exactly for
// each (seed, replica > 0) whose skew differs from replica 0's, at the
// first index where the two skews make the streams differ.
func TestRunMatchesModel(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	const n = 6
	rapid.Check(t, func(t *rapid.T) {
		replicas := []*skewed{{at: map[uint64]int{}}, {at: map[uint64]int{}}}
		seeds := []uint64{1}
		t.Repeat(map[string]func(*rapid.T){
			"addSeed": func(t *rapid.T) {
				s := rapid.Uint64Range(2, 40).Draw(t, "seed")
				if slices.Contains(seeds, s) {
					t.Skip("seed already present")
				}
				seeds = append(seeds, s)
			},
			"addReplica": func(t *rapid.T) {
				if len(replicas) == 4 {
					t.Skip("four replicas")
				}
				replicas = append(replicas, &skewed{at: map[uint64]int{}})
			},
			"skew": func(t *rapid.T) {
				r := rapid.IntRange(0, len(replicas)-1).Draw(t, "replica")
				s := rapid.SampledFrom(seeds).Draw(t, "seed")
				replicas[r].at[s] = rapid.IntRange(0, n-1).Draw(t, "at")
			},
			"run": func(t *rapid.T) {
				cfg := suite.Config{
					Cases:       suite.Cross(prompts[:1], seeds),
					Params:      transcript.Params{NPredict: n},
					Concurrency: rapid.IntRange(1, 5).Draw(t, "concurrency"),
				}
				for i, r := range replicas {
					cfg.Targets = append(cfg.Targets, suite.Target{URL: fmt.Sprint(i), Replica: r})
				}
				res, err := suite.Run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				type div struct {
					seed    uint64
					replica int
					index   int
				}
				var want, got []div
				divergent, unique := 0, 0
				for _, s := range seeds {
					base, baseOK := replicas[0].at[s]
					trialDiv := false
					kinds := map[int]bool{}
					for ri, r := range replicas {
						at, ok := r.at[s]
						key := -1
						if ok {
							key = at
						}
						kinds[key] = true
						if ri == 0 || (ok == baseOK && at == base) {
							continue
						}
						first := at
						switch {
						case !ok:
							first = base
						case baseOK:
							first = min(at, base)
						}
						want = append(want, div{s, ri, first})
						trialDiv = true
					}
					unique += len(kinds)
					if trialDiv {
						divergent++
					}
				}
				for _, d := range res.Divergences {
					got = append(got, div{d.Seed, d.Replica, d.Index})
				}
				if !slices.Equal(want, got) {
					t.Fatalf("divergences %v, model %v", got, want)
				}
				if res.DivergentTrials != divergent || res.UniqueOutputs != unique {
					t.Fatalf("divergent %d unique %d, model %d and %d", res.DivergentTrials, res.UniqueOutputs, divergent, unique)
				}
			},
		})
	})
}
