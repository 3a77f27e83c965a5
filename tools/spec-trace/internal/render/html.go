package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

//go:embed page.html.tmpl
var pageSrc string

var page = template.Must(template.New("page").Parse(pageSrc))

type htmlData struct {
	*model.Report
	Areas     []string
	Levels    []string
	Statuses  []string
	Total     string
	Attention []Item
	More      int
	Rows      []htmlRow
	Trend     template.HTML
	Runs      int
}

// htmlRow is one requirement as the page shows it.
type htmlRow struct {
	Q      *model.Requirement // named, not embedded: templates find it fast
	Groups []group
	// Seen says, with a history, when the requirement was last proven
	// and in how many of the runs shown.
	Seen string
}

// group is the tests of one kind under one parent: a Go test function
// with its subtests, a feature file's scenarios, a JUnit class.
type group struct {
	Kind, Parent, Sum string
	Open              bool // shown open: a test in it did not simply pass
	Tests             []model.Test
}

// MaxHTMLAttention bounds the attention list of the page; the table and
// its filters show everything.
const MaxHTMLAttention = 200

// HTML writes the self-contained page.
func HTML(w io.Writer, r *model.Report) error {
	var areas []string
	for _, q := range r.Requirements {
		if !slices.Contains(areas, q.Area) {
			areas = append(areas, q.Area)
		}
	}
	slices.Sort(areas)
	att := Attention(r)
	more := 0
	if len(att) > MaxHTMLAttention {
		att, more = att[:MaxHTMLAttention], len(att)-MaxHTMLAttention
	}
	rows := make([]htmlRow, len(r.Requirements))
	for i := range r.Requirements {
		q := &r.Requirements[i]
		rows[i] = htmlRow{Q: q, Groups: groups(q.Tests), Seen: seen(r.History, q.ID)}
	}
	d := htmlData{Report: r, Areas: areas, Levels: model.Levels,
		Statuses: model.Statuses, Total: Total(r), Attention: att, More: more, Rows: rows}
	if h := r.History; h != nil {
		d.Trend, d.Runs = Trend(h.Runs), len(h.Runs)
	}
	return page.Execute(w, d)
}

func groups(ts []model.Test) []group {
	var out []group
	idx := map[string]int{}
	for _, t := range ts {
		parent := t.Package
		switch t.Kind {
		case model.KindGo:
			parent, _, _ = strings.Cut(t.Name, "/")
		case model.KindGherkin:
			parent = t.File
		}
		k := t.Kind + "\x00" + parent
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, group{Kind: t.Kind, Parent: parent})
		}
		out[i].Tests = append(out[i].Tests, t)
	}
	for i := range out {
		n := map[string]int{}
		for _, t := range out[i].Tests {
			n[t.Status]++
			if t.Status != model.Passed {
				out[i].Open = true
			}
		}
		var parts []string
		for _, st := range []string{model.Passed, model.FlakyRun, model.Failed, model.Skipped, model.NotRun} {
			if n[st] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
			}
		}
		out[i].Sum = strings.Join(parts, ", ")
	}
	return out
}

func seen(h *model.History, id string) string {
	if h == nil || len(h.Runs) == 0 {
		return ""
	}
	n := h.ProvenIn[id]
	last, ok := h.Last[id]
	if !ok {
		return fmt.Sprintf("proven in 0 of the last %d runs", len(h.Runs))
	}
	run := h.Runs[last]
	at := run.Time
	if run.Commit != "" {
		at += " (" + run.Commit + ")"
	}
	return fmt.Sprintf("proven in %d of the last %d runs; last %s", n, len(h.Runs), at)
}
