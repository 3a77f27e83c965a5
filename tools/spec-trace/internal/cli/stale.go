package cli

import "orchcore.dev/tools/spec-trace/internal/model"

// MarkStale compares rep with an earlier report: a proven or flaky
// requirement whose content hash changed while every test that proves
// it has the same source hash as in base is stale (never proven). Tests
// without a source hash in either report, or that base did not have,
// count as changed.
func MarkStale(rep, base *model.Report) {
	before := make(map[string]*model.Requirement, len(base.Requirements))
	for i := range base.Requirements {
		before[base.Requirements[i].ID] = &base.Requirements[i]
	}
	for i := range rep.Requirements {
		q := &rep.Requirements[i]
		if q.Status != model.Proven && q.Status != model.Flaky {
			continue
		}
		p := before[q.ID]
		if p == nil || p.Hash == "" || p.Hash == q.Hash {
			continue
		}
		old := make(map[string]string, len(p.Tests))
		for _, t := range p.Tests {
			old[model.TestKey(t)] = t.Hash
		}
		same := true
		for _, t := range q.Tests {
			if t.Status != model.Passed && t.Status != model.FlakyRun {
				continue
			}
			if h, ok := old[model.TestKey(t)]; !ok || h == "" || h != t.Hash {
				same = false
				break
			}
		}
		if same {
			q.Was, q.Status = q.Status, model.Stale
		}
	}
}
