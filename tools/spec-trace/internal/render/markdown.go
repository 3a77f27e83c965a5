package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// MaxMarkdown bounds coverage.md and pr.md in bytes, so in characters
// too: a GitHub pull-request comment takes at most 65,536 characters.
const MaxMarkdown = 60000

// detail is how much of each requirement the Markdown details show;
// Markdown tries each in turn until the report fits MaxMarkdown.
type detail int

const (
	full      detail = iota // rule text and every test
	counts                  // rule text, tests as counts per kind
	shortText               // the first ShortText characters of the rule
	titleOnly               // title and place only
)

// ShortText is how much rule text the shortText detail keeps.
const ShortText = 160

// Markdown writes the summary and then every requirement by area. When
// the whole would exceed MaxMarkdown the details get shorter (tests as
// counts, then a shortened rule, then the title only) and, as a last
// resort, stop with a line saying how many requirements were left out:
// coverage.html and coverage.json always hold everything.
func Markdown(w io.Writer, r *model.Report) error {
	var head, tail strings.Builder
	head.WriteString("## Requirement coverage\n\n")
	table(&head, r)
	attention(&head, r, MaxAttention, func(s string) string { return mdEscape(clip(s, 400)) })
	head.WriteString("\n" + Total(r) + "\n\n")
	mdTail(&tail, r)
	room := MaxMarkdown - head.Len() - tail.Len()
	var body string
	for d := full; d <= titleOnly; d++ {
		body = mdDetails(r, d, room)
		if len(body) <= room {
			break
		}
	}
	_, err := io.WriteString(w, fit(head.String()+body+tail.String()))
	return err
}

// fit is the last guard of MaxMarkdown, for pathological inputs (huge
// titles or names in the summary): it cuts at a line end and says so.
func fit(s string) string {
	if len(s) <= MaxMarkdown {
		return s
	}
	const cut = "\n… report cut to stay under 60000 characters: see coverage.html or coverage.json.\n"
	i := strings.LastIndexByte(s[:MaxMarkdown-len(cut)], '\n')
	if i < 0 {
		i = 0
	}
	return s[:i] + cut
}

// mdDetails renders the collapsible block; at titleOnly it stops before
// room is exceeded.
func mdDetails(r *model.Report, d detail, room int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<details><summary>All %d requirements</summary>\n\n", len(r.Requirements))
	const closing = "\n</details>\n"
	area := ""
	for i, q := range r.Requirements {
		var row strings.Builder
		if q.Area != area {
			area = q.Area
			fmt.Fprintf(&row, "\n### %s\n\n| ID | Level | Status | Requirement | Tests |\n|---|---|---|---|---|\n", area)
		}
		fmt.Fprintf(&row, "| %s | %s | %s %s | %s | %s |\n", q.ID, q.Level, icons[q.Status], q.Status,
			mdRule(q, d), mdTestCell(q.Tests, d))
		if d == titleOnly {
			left := fmt.Sprintf("\n… %d more requirements left out to stay under %d characters: see coverage.html or coverage.json.\n", len(r.Requirements)-i, MaxMarkdown)
			if b.Len()+row.Len()+len(left)+len(closing) > room {
				b.WriteString(left)
				break
			}
		}
		b.WriteString(row.String())
		if d < titleOnly && b.Len() > room {
			return b.String() // too long already: the caller tries the next detail
		}
	}
	b.WriteString(closing)
	return b.String()
}

func mdRule(q model.Requirement, d detail) string {
	s := "**" + mdEscape(q.Title) + "**"
	text := q.Text
	switch d {
	case shortText:
		text = clip(text, ShortText)
	case titleOnly:
		text = ""
	}
	if text != "" {
		s += "<br>" + mdEscape(text)
	}
	if q.Missing != "" {
		s += "<br>policy: missing " + mdEscape(q.Missing)
	}
	return s + fmt.Sprintf("<br>`%s:%d`", q.File, q.Line)
}

// clip shortens s to at most n characters, ending in an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func mdTestCell(ts []model.Test, d detail) string {
	if d == full {
		return mdTests(ts)
	}
	return mdCounts(ts)
}

// mdCounts is "go ✅3 ❌1, gherkin ✅2": tests per kind and status.
func mdCounts(ts []model.Test) string {
	if len(ts) == 0 {
		return "—"
	}
	var parts []string
	for _, k := range model.Kinds {
		n := map[string]int{}
		for _, t := range ts {
			if t.Kind == k {
				n[t.Status]++
			}
		}
		if len(n) == 0 {
			continue
		}
		s := k
		for _, st := range []string{model.Passed, model.FlakyRun, model.Failed, model.Skipped, model.NotRun} {
			if n[st] > 0 {
				s += fmt.Sprintf(" %s%d", icons[st], n[st])
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// mdTail lists unknown IDs and problems, each bounded.
func mdTail(b *strings.Builder, r *model.Report) {
	const max = 20
	if len(r.Unknown) > 0 {
		b.WriteString("\n### Unknown IDs\n\n| ID | Referenced by |\n|---|---|\n")
		for i, u := range r.Unknown {
			if i == max {
				fmt.Fprintf(b, "\n… and %d more unknown IDs (see coverage.json)\n", len(r.Unknown)-max)
				break
			}
			fmt.Fprintf(b, "| %s | %s |\n", mdEscape(clip(u.ID, 100)), mdEscape(clip(testList(u.Tests, 3), 400)))
		}
	}
	if len(r.Problems) > 0 {
		b.WriteString("\n### Failures outside requirement tests\n\n")
		for i, p := range r.Problems {
			if i == max {
				fmt.Fprintf(b, "- … and %d more (see coverage.json)\n", len(r.Problems)-max)
				break
			}
			b.WriteString("- " + mdEscape(clip(ProblemText(p), 400)) + "\n")
		}
	}
}

func mdTests(ts []model.Test) string {
	if len(ts) == 0 {
		return "—"
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		s := fmt.Sprintf("%s %s `%s`", icons[t.Status], t.Kind, mdEscape(t.Name))
		if t.File != "" {
			s += fmt.Sprintf(" %s:%d", t.File, t.Line)
		}
		if len(t.Attempts) > 1 {
			s += " (attempts: " + strings.Join(t.Attempts, ", ") + ")"
		}
		if t.Note != "" {
			s += " — " + mdEscape(t.Note)
		}
		parts[i] = s
	}
	return strings.Join(parts, "<br>")
}
