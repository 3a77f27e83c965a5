package pr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// MaxRule bounds the rule text shown per item.
const MaxRule = 300

// Markdown renders the report within limit bytes; left counts the items
// left out.
func Markdown(base, head *model.Report, limit int) (out string, left int) {
	head = model.WithStale(head, base)
	worse, changed := Compare(base, head)
	var top strings.Builder
	top.WriteString(Marker + "\n## Requirement coverage: base → head\n\n")
	table(&top, base, head)
	n := 0
	for _, s := range worse {
		n += len(s.Items)
	}
	if n == 0 {
		top.WriteString("\nNothing got worse.\n")
	} else {
		fmt.Fprintf(&top, "\n### Got worse: %d\n", n)
	}
	var secs []Section
	for _, s := range worse {
		if len(s.Items) > 0 {
			secs = append(secs, s)
		}
	}
	if len(changed.Items) > 0 {
		secs = append(secs, changed)
	}
	body := make([]string, len(secs))
	for i, s := range secs {
		body[i] = section(s, len(s.Items))
	}
	const where = "see coverage.html or coverage.json of the head run, or `spec-trace diff BASE.json HEAD.json`"
	total := func(keep int, note string) int {
		size := top.Len() + len(note)
		for _, b := range body[:keep] {
			size += len(b)
		}
		return size
	}
	keep, note := len(body), ""
	for keep > 0 && total(keep, note) > limit {
		keep--
		left = 0
		for _, s := range secs[keep:] {
			left += len(s.Items)
		}
		note = fmt.Sprintf("\n_%d more items in %d section(s) left out to fit one comment: %s._\n", left, len(secs)-keep, where)
	}
	if keep == 0 && len(secs) > 0 {
		// Even the worst section alone is too long: keep what fits of it.
		s := secs[0]
		items := make([]string, len(s.Items))
		for i, it := range s.Items {
			items[i] = item(it)
		}
		rest := 0
		for _, r := range secs[1:] {
			rest += len(r.Items)
		}
		head := sectionHead(s)
		size := top.Len() + len(head)
		k := 0
		for ; k < len(items); k++ {
			left = len(items) - k - 1 + rest
			more := fmt.Sprintf("- … %d more in this section\n", len(items)-k-1)
			note = fmt.Sprintf("\n_%d more items left out to fit one comment: %s._\n", left, where)
			if size+len(items[k])+len(more)+len(note) > limit {
				break
			}
			size += len(items[k])
		}
		left = len(items) - k + rest
		note = fmt.Sprintf("\n_%d more items left out to fit one comment: %s._\n", left, where)
		body[0] = head + strings.Join(items[:k], "") + fmt.Sprintf("- … %d more in this section\n", len(items)-k)
		keep = 1
	}
	var b strings.Builder
	b.WriteString(top.String())
	for _, s := range body[:keep] {
		b.WriteString(s)
	}
	b.WriteString(note)
	return b.String(), left
}

func table(b *strings.Builder, base, head *model.Report) {
	b.WriteString("| Level | Base proven | Head proven | Change | Head failing | Head not proven | Head stale | Head flaky | Head waived |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, o, c model.Counts) {
		fmt.Fprintf(b, "| %s | %d / %d | %d / %d | %s | %d | %d | %d | %d | %d |\n", name, o.Proven, o.Total, c.Proven, c.Total,
			change(c.Proven-o.Proven), c.Failing, c.Partial+c.Unproven, c.Stale, c.Flaky, c.Waived)
	}
	for _, l := range model.Levels {
		o, ok1 := base.Summary.ByLevel[l]
		c, ok2 := head.Summary.ByLevel[l]
		if ok1 || ok2 {
			row(l, o, c)
		}
	}
	row("**All**", base.Summary.All, head.Summary.All)
}

func change(d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf("+%d", d)
	case d < 0:
		return fmt.Sprintf("−%d", -d)
	}
	return "0"
}

var esc = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ")

// section renders s.
func section(s Section, n int) string {
	var b strings.Builder
	b.WriteString(sectionHead(s))
	for _, it := range s.Items[:n] {
		b.WriteString(item(it))
	}
	return b.String()
}

func sectionHead(s Section) string { return fmt.Sprintf("\n#### %s (%d)\n\n", s.Title, len(s.Items)) }

func item(it Item) string {
	var b strings.Builder
	q := it.Req
	move := q.Status
	if it.Before != "" && it.Before != q.Status {
		move = it.Before + " → " + q.Status
	}
	fmt.Fprintf(&b, "- **%s** %s %s — %s (`%s:%d`)", q.ID, q.Level, move, esc.Replace(q.Title), q.File, q.Line)
	if it.Why != "" {
		b.WriteString(" — " + esc.Replace(it.Why))
	}
	b.WriteString("\n")
	if q.Text != "" {
		b.WriteString("  > " + esc.Replace(clip(q.Text, MaxRule)) + "\n")
	}
	return b.String()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Annotations returns at most MaxAnnotations workflow commands for the
// worst items, pointing at their spec lines.
func Annotations(base, head *model.Report) []string {
	worse, _ := Compare(base, head)
	var out []string
	for _, s := range worse {
		for _, it := range s.Items {
			if len(out) == MaxAnnotations {
				return out
			}
			q := it.Req
			msg := fmt.Sprintf("%s %s is %s (%s) — %s", q.Level, q.ID, q.Status, s.Title, q.Title)
			if it.Why != "" {
				msg += "; " + it.Why
			}
			out = append(out, fmt.Sprintf("::error file=%s,line=%d,title=%s::%s", prop(q.File), q.Line, prop(q.ID+" "+q.Status), data(msg)))
		}
	}
	return out
}

// data and prop escape a workflow command's message and properties.
func data(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func prop(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
