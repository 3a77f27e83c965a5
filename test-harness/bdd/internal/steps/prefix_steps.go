package steps

import (
	"errors"
	"fmt"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
)

// prefixSteps are the steps of prefix-cache-aware placement
// (OC-CORE-1055). Blocks are written by name ("sys1,sys2,u1"); each name
// stands for one block hash, the same within a scenario.
func (w *world) prefixSteps(sc *godog.ScenarioContext) {
	sc.Step(`^prefix placement with (\d+) per matched block, (\d+) per active slot and a guard of (\d+) slots and (\d+) per mille$`,
		func(pw, lw, gs, gp int64) error {
			return w.configure(func(c *core.Config) {
				pre := &c.Placement.Prefix
				pre.Enabled, pre.PrefixWeight, pre.LoadWeight, pre.GuardSlots, pre.GuardPermille = true, pw, lw, gs, gp
			})
		})
	sc.Step(`^prefix placement remembers (\d+) blocks per replica$`, func(n int) error {
		return w.configure(func(c *core.Config) { c.Placement.Prefix.BlocksPerReplica = n })
	})
	sc.Step(`^replica (\S+) reports caching blocks (\S+)$`, w.reportCache)
	sc.Step(`^a job(?: of session (\S+))? with blocks (\S+) is placed( and completes)?$`, w.placeBlocks)
	sc.Step(`^a job with blocks (\S+) is refused at admission with (\S+)$`, w.refuseBlocks)
	sc.Step(`^it goes to replica (\S+) with (\d+) matched blocks?(, guarded)?$`, w.wentMatched)
	sc.Step(`^replica (\S+) now has (\d+) active slots?$`, func(id string, n int) error {
		r, err := w.replica(id)
		if err == nil {
			r.ActiveSlots = n
		}
		return err
	})
}

// blocks turns "a,b" into the scenario's hashes of blocks a and b.
func (w *world) blocks(names string) []uint64 {
	if w.blockIDs == nil {
		w.blockIDs = map[string]uint64{}
	}
	var out []uint64
	for _, n := range list(names) {
		h, ok := w.blockIDs[n]
		if !ok {
			h = uint64(len(w.blockIDs) + 1)
			w.blockIDs[n] = h
		}
		out = append(out, h)
	}
	return out
}

func (w *world) reportCache(id, names string) error {
	r, err := w.replica(id)
	if err == nil {
		r.CacheReported, r.Cached = true, w.blocks(names)
	}
	return err
}

func (w *world) placeBlocks(session, names, completes string) error {
	t := w.newJob()
	t.SessionID, t.Blocks = session, w.blocks(names)
	d, err := w.place(t)
	if err != nil || completes == "" || d.Outcome != core.Placed {
		return err
	}
	return w.sp.Complete(t.ID)
}

func (w *world) refuseBlocks(names, code string) error {
	t := w.newJob()
	t.Blocks = w.blocks(names)
	if err := w.admit(t); err != nil {
		return err
	}
	var e *core.Error
	if err := w.admits[t.ID].err; !errors.As(err, &e) || string(e.Code) != code {
		return fmt.Errorf("want %s refused at admission with %s, got %v", t.ID, code, err)
	}
	return nil
}

func (w *world) wentMatched(id string, n int, guarded string) error {
	d, err := w.wentTo(id)
	if err != nil {
		return err
	}
	if d.Job.MatchedBlocks != n || d.Job.Guarded != (guarded != "") || d.Job.KVWarmth != (n > 0) {
		return fmt.Errorf("want %d matched blocks, guarded=%v, kv_warmth=%v; got %d, %v, %v",
			n, guarded != "", n > 0, d.Job.MatchedBlocks, d.Job.Guarded, d.Job.KVWarmth)
	}
	return nil
}
