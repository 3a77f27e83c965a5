package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Change is one requirement whose status moved.
type Change struct {
	ID     string `json:"id"`
	Level  string `json:"level"`
	Title  string `json:"title"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Diff lists what changed between two reports.
type Diff struct {
	// Stale lists the requirements stale in the new report or against
	// the old one: their rule changed while their tests did not. They
	// come first.
	Stale         []Change `json:"stale"`
	NewlyFailing  []Change `json:"newly_failing"`
	NewlyUnproven []Change `json:"newly_unproven"`
	NewlyProven   []Change `json:"newly_proven"`
	Added         []Change `json:"added"`
	Removed       []Change `json:"removed"`
}

// Compare finds the changes from old to cur. Both reports list their
// requirements sorted by ID, as model.Build guarantees. A requirement of
// cur that is stale against old (model.StaleSince: its rule changed, its
// proving tests did not) is listed as stale even when cur was written
// without --baseline.
func Compare(old, cur *model.Report) Diff {
	cur = model.WithStale(cur, old)
	before := make(map[string]model.Requirement, len(old.Requirements))
	for _, q := range old.Requirements {
		before[q.ID] = q
	}
	now := make(map[string]bool, len(cur.Requirements))
	var d Diff
	for _, q := range cur.Requirements {
		now[q.ID] = true
		p, had := before[q.ID]
		c := Change{ID: q.ID, Level: q.Level, Title: q.Title, Before: p.Status, After: q.Status}
		if !had {
			d.Added = append(d.Added, c)
		}
		if q.Status == model.Stale {
			d.Stale = append(d.Stale, c)
			continue
		}
		switch {
		case q.Status == model.Failing && p.Status != model.Failing:
			d.NewlyFailing = append(d.NewlyFailing, c)
		case had && lostCoverage(p.Status, q.Status):
			d.NewlyUnproven = append(d.NewlyUnproven, c)
		case had && q.Status == model.Proven && p.Status != model.Proven:
			d.NewlyProven = append(d.NewlyProven, c)
		}
	}
	for _, q := range old.Requirements {
		if !now[q.ID] {
			d.Removed = append(d.Removed, Change{ID: q.ID, Level: q.Level, Title: q.Title, Before: q.Status})
		}
	}
	return d
}

// lostCoverage: proven before and not now (without failing), or
// referenced before and referenced by nothing now.
func lostCoverage(before, after string) bool {
	switch after {
	case model.Partial, model.Waived:
		return before == model.Proven || before == model.Flaky
	case model.Unproven:
		return before != model.Unproven
	}
	return false
}

// Regressed reports whether something got worse: a requirement is stale,
// newly failing or newly unproven, or a removed one was a MUST or was proven
// (deleting a requirement must not be a way to pass the gate).
func (d Diff) Regressed() bool {
	if len(d.Stale)+len(d.NewlyFailing)+len(d.NewlyUnproven) > 0 {
		return true
	}
	for _, c := range d.Removed {
		if c.Level == model.Must || c.Before == model.Proven {
			return true
		}
	}
	return false
}

// Write prints the diff as Markdown.
func (d Diff) Write(w io.Writer) error {
	var b strings.Builder
	b.WriteString("## Requirement coverage changes\n")
	section := func(name string, cs []Change) {
		fmt.Fprintf(&b, "\n%s: %d\n", name, len(cs))
		for _, c := range cs {
			move := c.After
			switch {
			case c.Before != "" && c.After != "":
				move = c.Before + " → " + c.After
			case c.After == "":
				move = "was " + c.Before
			}
			fmt.Fprintf(&b, "- %s %s (%s) — %s\n", c.ID, c.Level, move, c.Title)
		}
	}
	section("Stale (the rule changed, its tests did not)", d.Stale)
	section("Newly failing", d.NewlyFailing)
	section("Newly unproven", d.NewlyUnproven)
	section("Newly proven", d.NewlyProven)
	section("Added", d.Added)
	section("Removed", d.Removed)
	if d.Regressed() {
		b.WriteString("\nverdict: regressed\n")
	} else {
		b.WriteString("\nverdict: no regression\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the diff as JSON; empty lists are [] and Regressed is
// included as "regressed".
func (d Diff) WriteJSON(w io.Writer) error {
	out := struct {
		Diff
		Regressed bool `json:"regressed"`
	}{d, d.Regressed()}
	for _, l := range []*[]Change{&out.Stale, &out.NewlyFailing, &out.NewlyUnproven, &out.NewlyProven, &out.Added, &out.Removed} {
		if *l == nil {
			*l = []Change{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
