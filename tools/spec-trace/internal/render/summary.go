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
	model.Flaky:    "🎲",
	model.Stale:    "🕸️",
	model.Waived:   "🏷️",
	model.Passed:   "✅",
	model.Failed:   "❌",
	model.Skipped:  "⏭️",
	model.NotRun:   "⬜",
}

// Total is the one-line plain total; flaky, stale and waived are named
// only when there are any.
func Total(r *model.Report) string {
	c := r.Summary.All
	s := fmt.Sprintf("requirements: %d proven, %d failing, %d partial, %d unproven",
		c.Proven, c.Failing, c.Partial, c.Unproven)
	for _, x := range []struct {
		n    int
		name string
	}{{c.Flaky, model.Flaky}, {c.Stale, model.Stale}, {c.Waived, model.Waived}} {
		if x.n > 0 {
			s += fmt.Sprintf(", %d %s", x.n, x.name)
		}
	}
	return s
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
	extra := r.Summary.All.Flaky+r.Summary.All.Stale+r.Summary.All.Waived > 0
	b.WriteString("| Level | Total | ✅ Proven | ❌ Failing | ⚠️ Partial | ⬜ Unproven |")
	if extra {
		b.WriteString(" 🎲 Flaky | 🕸️ Stale | 🏷️ Waived |")
	}
	b.WriteString("\n|---|---:|---:|---:|---:|---:|")
	if extra {
		b.WriteString("---:|---:|---:|")
	}
	b.WriteString("\n")
	row := func(name string, c model.Counts) {
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %d |", name, c.Total, c.Proven, c.Failing, c.Partial, c.Unproven)
		if extra {
			fmt.Fprintf(b, " %d | %d | %d |", c.Flaky, c.Stale, c.Waived)
		}
		b.WriteString("\n")
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

// Attention lists, worst first: stale requirements, failing ones, MUSTs
// not proven, gate findings (expired waivers), unknown IDs, problems,
// flaky requirements, SHOULDs and MAYs not proven, then waived ones.
func Attention(r *model.Report) []Item {
	var out []Item
	for _, q := range r.Requirements {
		if q.Status == model.Stale {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s stale — %s (the rule changed, its tests did not)", q.ID, q.Level, q.Title)})
		}
	}
	for _, q := range r.Requirements {
		if q.Status == model.Failing {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s failing — %s (%s)", q.ID, q.Level, q.Title, failedTests(q.Tests))})
		}
	}
	for _, q := range r.Requirements {
		if q.Level == model.Must && (q.Status == model.Partial || q.Status == model.Unproven) {
			out = append(out, Item{q.Status, fmt.Sprintf("%s MUST %s%s — %s", q.ID, q.Status, missing(q), q.Title)})
		}
	}
	for _, g := range r.Gates {
		out = append(out, Item{"problem", g})
	}
	for _, u := range r.Unknown {
		out = append(out, Item{"unknown", fmt.Sprintf("%s is referenced but defined by no spec (%s)", u.ID, testList(u.Tests, 3))})
	}
	for _, p := range r.Problems {
		out = append(out, Item{"problem", ProblemText(p)})
	}
	for _, q := range r.Requirements {
		if q.Status == model.Flaky {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s flaky — %s (failed, then passed: %s)", q.ID, q.Level, q.Title, testList(withStatus(q.Tests, model.FlakyRun), 3))})
		}
	}
	for _, q := range r.Requirements {
		if q.Level != model.Must && (q.Status == model.Partial || q.Status == model.Unproven) {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s %s%s — %s", q.ID, q.Level, q.Status, missing(q), q.Title)})
		}
	}
	for _, q := range r.Requirements {
		if q.Status == model.Waived && q.Waiver != nil {
			out = append(out, Item{q.Status, fmt.Sprintf("%s %s waived (%s) until %s by %s — %s", q.ID, q.Level, q.Was, q.Waiver.Expires, q.Waiver.Owner, q.Waiver.Reason)})
		}
	}
	return out
}

func missing(q model.Requirement) string {
	if q.Missing == "" {
		return ""
	}
	return " (policy: missing " + q.Missing + ")"
}

func withStatus(ts []model.Test, status string) []model.Test {
	var out []model.Test
	for _, t := range ts {
		if t.Status == status {
			out = append(out, t)
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
	return "failed: " + testList(withStatus(ts, model.Failed), 3)
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
