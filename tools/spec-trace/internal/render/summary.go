package render

import (
	"fmt"
	"io"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// MaxAttention bounds the attention list of the summary.
const MaxAttention = 25

var icons = map[string]string{
	model.Proven:   "✅",
	model.Failing:  "❌",
	model.Partial:  "⚠️",
	model.Unproven: "⬜",
	model.Passed:   "✅",
	model.Failed:   "❌",
	model.Skipped:  "⏭️",
	model.NotRun:   "⬜",
}

// Total is the one-line plain total.
func Total(r *model.Report) string {
	c := r.Summary.All
	return fmt.Sprintf("requirements: %d proven, %d failing, %d partial, %d unproven",
		c.Proven, c.Failing, c.Partial, c.Unproven)
}

// Summary writes the count table, the attention list and the total, as
// plain text for a terminal: titles and notes are shown as written.
func Summary(w io.Writer, r *model.Report) error {
	var b strings.Builder
	table(&b, r)
	attention(&b, r, MaxAttention, plain)
	b.WriteString("\n" + Total(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func table(b *strings.Builder, r *model.Report) {
	b.WriteString("| Level | Total | ✅ Proven | ❌ Failing | ⚠️ Partial | ⬜ Unproven |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	row := func(name string, c model.Counts) {
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %d |\n", name, c.Total, c.Proven, c.Failing, c.Partial, c.Unproven)
	}
	for _, l := range model.Levels {
		if c, ok := r.Summary.ByLevel[l]; ok {
			row(l, c)
		}
	}
	row("**All**", r.Summary.All)
}

// Item is one line of the attention list; Mark is a requirement status,
// "unknown" or "problem".
type Item struct {
	Mark string
	Text string
}

var marks = map[string]string{"unknown": "❓", "problem": "💥"}

// Line is the item with its icon, as plain text.
func (i Item) Line() string {
	icon := icons[i.Mark]
	if icon == "" {
		icon = marks[i.Mark]
	}
	return icon + " " + i.Text
}

// Attention lists, worst first: failing requirements, MUSTs not proven,
// unknown IDs, problems, then SHOULDs and MAYs not proven.
func Attention(r *model.Report) []Item {
	var out []Item
	for _, q := range r.Requirements {
		if q.Status == model.Failing {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s failing — %s (%s)", q.ID, q.Level, q.Title, failedTests(q.Tests))})
		}
	}
	for _, q := range r.Requirements {
		if q.Level == model.Must && (q.Status == model.Partial || q.Status == model.Unproven) {
			out = append(out, Item{q.Status, fmt.Sprintf("%s MUST %s — %s", q.ID, q.Status, q.Title)})
		}
	}
	for _, u := range r.Unknown {
		out = append(out, Item{"unknown", fmt.Sprintf("%s is referenced but defined by no spec (%s)", u.ID, testList(u.Tests, 3))})
	}
	for _, p := range r.Problems {
		out = append(out, Item{"problem", ProblemText(p)})
	}
	for _, q := range r.Requirements {
		if q.Level != model.Must && (q.Status == model.Partial || q.Status == model.Unproven) {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s %s — %s", q.ID, q.Level, q.Status, q.Title)})
		}
	}
	return out
}

// ProblemText is a one-line description of a problem.
func ProblemText(p model.Problem) string {
	s := p.Kind
	if p.Package != "" {
		s += " " + p.Package
	}
	if p.File != "" {
		s += fmt.Sprintf(" (%s:%d)", p.File, p.Line)
	}
	return s + ": " + p.Message
}

func plain(s string) string { return s }

// attention writes the list; esc escapes each line for the target format.
func attention(b *strings.Builder, r *model.Report, limit int, esc func(string) string) {
	list := Attention(r)
	if len(list) == 0 {
		b.WriteString("\nNothing needs attention.\n")
		return
	}
	b.WriteString("\nNeeds attention:\n")
	for i, it := range list {
		if i == limit {
			fmt.Fprintf(b, "- … and %d more (see the full report)\n", len(list)-limit)
			break
		}
		b.WriteString("- " + esc(it.Line()) + "\n")
	}
}

func failedTests(ts []model.Test) string {
	var f []model.Test
	for _, t := range ts {
		if t.Status == model.Failed {
			f = append(f, t)
		}
	}
	return "failed: " + testList(f, 3)
}

func testList(ts []model.Test, max int) string {
	var parts []string
	for i, t := range ts {
		if i == max {
			parts = append(parts, fmt.Sprintf("+%d more", len(ts)-max))
			break
		}
		parts = append(parts, t.Name+at(t))
	}
	return strings.Join(parts, ", ")
}

func at(t model.Test) string {
	if t.File == "" {
		if t.Package != "" {
			return " in " + t.Package
		}
		return ""
	}
	return fmt.Sprintf(" at %s:%d", t.File, t.Line)
}

var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;")

func mdEscape(s string) string { return mdEscaper.Replace(s) }
