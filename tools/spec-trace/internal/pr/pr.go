package pr

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Marker is the hidden first line of every pull-request report.
const Marker = "<!-- spec-trace:pr-report -->"

// MaxAnnotations bounds the workflow commands Annotations returns.
const MaxAnnotations = 10

// Item is one requirement in a section.
type Item struct {
	Req    model.Requirement
	Before string // its status in the base, "" when it is new
	Why    string
}

// Section is a titled list of items.
type Section struct {
	Title string
	Items []Item
}

// Compare lists what got worse, section by section, stale first, and
// then what changed. A requirement of head that is stale against base
// (model.StaleSince) is listed as stale even when head was written
// without --baseline.
func Compare(base, head *model.Report) (worse []Section, changed Section) {
	head = model.WithStale(head, base)
	before := make(map[string]model.Requirement, len(base.Requirements))
	for _, q := range base.Requirements {
		before[q.ID] = q
	}
	failing := Section{Title: "Newly failing"}
	lost := Section{Title: "No longer proven"}
	stale := Section{Title: "Stale: the rule changed, its tests did not"}
	flaky := Section{Title: "Flaky: failed, then passed on a rerun"}
	expired := Section{Title: "Expired waivers"}
	changed = Section{Title: "Requirements whose spec line or tests changed"}
	now := map[string]bool{}
	for _, q := range head.Requirements {
		now[q.ID] = true
		p, had := before[q.ID]
		it := Item{Req: q, Before: p.Status}
		switch {
		case q.Status == model.Failing && p.Status != model.Failing:
			failing.Items = append(failing.Items, it)
		case q.Status == model.Stale:
			stale.Items = append(stale.Items, it)
		case !good(q.Status) && (good(p.Status) || (!had && q.Level == model.Must)):
			if q.Missing != "" {
				it.Why = "policy: missing " + q.Missing
			}
			lost.Items = append(lost.Items, it)
		case q.Status == model.Flaky:
			flaky.Items = append(flaky.Items, it)
		}
		if q.Waiver != nil && q.Waiver.Expired {
			it.Why = fmt.Sprintf("waiver by %s expired on %s", q.Waiver.Owner, q.Waiver.Expires)
			expired.Items = append(expired.Items, it)
		}
		if why := changes(p, q, had); why != "" {
			it.Why = why
			changed.Items = append(changed.Items, it)
		}
	}
	for _, q := range base.Requirements {
		if !now[q.ID] {
			changed.Items = append(changed.Items, Item{Req: q, Before: q.Status, Why: "removed"})
		}
	}
	worse = []Section{stale, failing, lost, flaky, expired}
	for i := range worse {
		byLevel(worse[i].Items)
	}
	return worse, changed
}

// changes says how q changed since p: added, or its rule text and its
// tests, each when it changed.
func changes(p, q model.Requirement, had bool) string {
	if !had {
		return "added"
	}
	var parts []string
	if p.Hash != "" && p.Hash != q.Hash {
		parts = append(parts, "rule text changed")
	}
	if t := testsChanged(p.Tests, q.Tests); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, "; ")
}

func good(status string) bool { return status == model.Proven || status == model.Flaky }

// byLevel sorts MUSTs first, then by ID order as the reports give it.
func byLevel(items []Item) {
	rank := map[string]int{model.Must: 0, model.Should: 1, model.May: 2}
	slices.SortStableFunc(items, func(a, b Item) int { return cmp.Compare(rank[a.Req.Level], rank[b.Req.Level]) })
}

// testsChanged says how the tests of a requirement changed: tests added
// or removed, or their source changed.
func testsChanged(old, cur []model.Test) string {
	key := model.TestKey
	was := map[string]string{}
	for _, t := range old {
		was[key(t)] = t.Hash
	}
	added, edited := 0, 0
	for _, t := range cur {
		h, ok := was[key(t)]
		switch {
		case !ok:
			added++
		case h != t.Hash:
			edited++
		}
		delete(was, key(t))
	}
	var parts []string
	if added > 0 {
		parts = append(parts, fmt.Sprintf("%d test(s) added", added))
	}
	if len(was) > 0 {
		parts = append(parts, fmt.Sprintf("%d test(s) removed", len(was)))
	}
	if edited > 0 {
		parts = append(parts, fmt.Sprintf("%d test(s) edited", edited))
	}
	return strings.Join(parts, ", ")
}
