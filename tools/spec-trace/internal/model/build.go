package model

import (
	"cmp"
	"fmt"
	"slices"

	"orchcore.dev/tools/spec-trace/internal/ids"
)

// Build joins requirements with the tests that reference them. Tests that
// reference no requirement are ignored; tests that reference an undefined
// ID are listed under Unknown as well.
func Build(reqs []Requirement, tests []Test, problems []Problem) Report {
	byID := make(map[string]int, len(reqs))
	out := make([]Requirement, len(reqs))
	for i, r := range reqs {
		r.Tests = nil
		r.Area = ids.Area(r.ID)
		out[i] = r
		byID[r.ID] = i
	}
	unknown := map[string][]Test{}
	counted := 0
	for _, t := range tests {
		if len(t.Reqs) == 0 {
			continue
		}
		counted++
		seen := map[string]bool{}
		for _, id := range t.Reqs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if i, ok := byID[id]; ok {
				out[i].Tests = append(out[i].Tests, t)
			} else {
				unknown[id] = append(unknown[id], t)
			}
		}
	}
	for i := range out {
		sortTests(out[i].Tests)
		if out[i].Tests == nil {
			out[i].Tests = []Test{}
		}
		out[i].Status = Status(out[i].Tests)
	}
	out = sortByID(out)
	unk := make([]Unknown, 0, len(unknown))
	for id, ts := range unknown {
		sortTests(ts)
		unk = append(unk, Unknown{ID: id, Tests: ts})
	}
	slices.SortFunc(unk, func(a, b Unknown) int { return ids.Compare(a.ID, b.ID) })
	probs := slices.Clone(problems)
	if probs == nil {
		probs = []Problem{}
	}
	slices.SortFunc(probs, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Test, b.Test),
			cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Message, b.Message))
	})
	probs = slices.Compact(probs)
	rep := Report{Schema: Schema, Version: Version, Requirements: out, Unknown: unk, Problems: probs}
	rep.Recount(counted)
	return rep
}

// Recount sets the summary from the requirement statuses; tests is the
// number of referencing tests.
func (r *Report) Recount(tests int) {
	sum := Summary{ByLevel: map[string]Counts{}, Tests: tests}
	for _, q := range r.Requirements {
		sum.All.add(q.Status)
		c := sum.ByLevel[q.Level]
		c.add(q.Status)
		sum.ByLevel[q.Level] = c
	}
	r.Summary = sum
}

// Status derives a requirement's status from its referencing tests: a
// failed test makes it failing; else a passed or flaky one proves it, and
// it is flaky when a flaky test is among them.
func Status(tests []Test) string {
	if len(tests) == 0 {
		return Unproven
	}
	passed, flaky := false, false
	for _, t := range tests {
		switch t.Status {
		case Failed:
			return Failing
		case Passed:
			passed = true
		case FlakyRun:
			flaky = true
		}
	}
	switch {
	case flaky:
		return Flaky
	case passed:
		return Proven
	}
	return Partial
}

// Outcome is the status of a test with several attempts in order: a
// failure followed later by a pass is flaky, a failure not followed by a
// pass is failed; otherwise passed beats skipped beats not run.
func Outcome(attempts []string) string {
	seq := make([]string, 0, len(attempts)+1)
	for _, a := range attempts {
		if a == FlakyRun {
			seq = append(seq, Failed, Passed)
		} else {
			seq = append(seq, a)
		}
	}
	last := -1
	for i, a := range seq {
		if a == Failed {
			last = i
		}
	}
	best := NotRun
	for i, a := range seq {
		if a == Passed && last >= 0 && i > last {
			return FlakyRun
		}
		best = Merge(best, a)
	}
	return best
}

// Good reports whether a requirement status counts as proven for a
// gate: proven, or flaky when flaky evidence is accepted.
func Good(status string, flakyOK bool) bool {
	return status == Proven || (flakyOK && status == Flaky)
}

func sortTests(ts []Test) {
	slices.SortFunc(ts, func(a, b Test) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line), cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.Name, b.Name))
	})
}

// Merge returns the status that should win when one test has several
// results (several runs, several input files): failed beats passed beats
// skipped beats not run.
func Merge(a, b string) string {
	if rank(a) >= rank(b) {
		return a
	}
	return b
}

func rank(s string) int {
	switch s {
	case FlakyRun:
		return 4
	case Failed:
		return 3
	case Passed:
		return 2
	case Skipped:
		return 1
	}
	return 0
}

// TestKey identifies a test across two reports: a Go or JUnit test by
// kind, package and name, a scenario by file, line and name (the rows of
// one outline share a name).
func TestKey(t Test) string {
	if t.Kind == KindGherkin {
		return fmt.Sprintf("%s\x00%s\x00%d\x00%s", t.Kind, t.File, t.Line, t.Name)
	}
	return t.Kind + "\x00" + t.Package + "\x00" + t.Name
}

// sortByID sorts requirements stably by ID; it sorts indices, since a
// Requirement is large to move.
func sortByID(qs []Requirement) []Requirement {
	if slices.IsSortedFunc(qs, func(a, b Requirement) int { return ids.Compare(a.ID, b.ID) }) {
		return qs
	}
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ids.Compare(qs[a].ID, qs[b].ID) })
	out := make([]Requirement, len(qs))
	for i, j := range idx {
		out[i] = qs[j]
	}
	return out
}
