package render

import (
	"fmt"
	"io"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Markdown writes the summary and then every requirement by area.
func Markdown(w io.Writer, r *model.Report) error {
	var b strings.Builder
	b.WriteString("## Requirement coverage\n\n")
	table(&b, r)
	attention(&b, r, MaxAttention, mdEscape)
	b.WriteString("\n" + Total(r) + "\n\n")
	fmt.Fprintf(&b, "<details><summary>All %d requirements</summary>\n\n", len(r.Requirements))
	area := ""
	for _, q := range r.Requirements {
		if q.Area != area {
			area = q.Area
			fmt.Fprintf(&b, "\n### %s\n\n| ID | Level | Status | Title | Tests |\n|---|---|---|---|---|\n", area)
		}
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s<br>`%s:%d` | %s |\n", q.ID, q.Level, icons[q.Status], q.Status,
			mdEscape(q.Title), q.File, q.Line, mdTests(q.Tests))
	}
	b.WriteString("\n</details>\n")
	if len(r.Unknown) > 0 {
		b.WriteString("\n### Unknown IDs\n\n| ID | Referenced by |\n|---|---|\n")
		for _, u := range r.Unknown {
			fmt.Fprintf(&b, "| %s | %s |\n", mdEscape(u.ID), mdTests(u.Tests))
		}
	}
	if len(r.Problems) > 0 {
		b.WriteString("\n### Failures outside requirement tests\n\n")
		for _, p := range r.Problems {
			b.WriteString("- " + mdEscape(ProblemText(p)) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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
		if t.Note != "" {
			s += " — " + mdEscape(t.Note)
		}
		parts[i] = s
	}
	return strings.Join(parts, "<br>")
}
