package metrics

import (
	"fmt"
	"strconv"
	"strings"
)

// Markers delimit the generated part of the spec file.
const (
	BeginMarker = "<!-- BEGIN GENERATED: contracts/metrics/contract.yaml -->"
	EndMarker   = "<!-- END GENERATED -->"
)

// Markdown renders the contract as the tables of the spec file, markers
// included.
func (c *Contract) Markdown() string {
	var b strings.Builder
	line := func(cells ...string) {
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString(BeginMarker + "\n\n")
	fmt.Fprintf(&b, "### Metrics (contract version %d)\n\n", c.Version)
	line("Name", "Type", "Unit", "Labels", "Buckets", "Fed by", "Help")
	line("---", "---", "---", "---", "---", "---", "---")
	for _, m := range c.Metrics {
		line(code(m.Name), m.Type, m.Unit, codes(m.Labels), floats(m.Buckets), m.Source, cell(m.Help))
	}

	b.WriteString("\n### Label cardinality budgets\n\n")
	line("Label", "Budget", "Meaning")
	line("---", "---", "---")
	for _, l := range c.Labels {
		line(code(l.Name), strconv.Itoa(l.Budget), cell(l.Help))
	}
	fmt.Fprintf(&b, "\nValues beyond a budget are folded into %s; each folded observation increments %s.\n",
		code(c.Fold.Value), code(c.Fold.Metric+"{metric, label}"))

	b.WriteString("\n### Unit exceptions\n\n")
	line("Metric", "Why")
	line("---", "---")
	for _, e := range c.UnitExceptions {
		line(code(e.Name), cell(e.Why))
	}
	b.WriteString("\n" + EndMarker + "\n")
	return b.String()
}

func code(s string) string { return "`" + s + "`" }

func codes(ss []string) string {
	if len(ss) == 0 {
		return "—"
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = code(s)
	}
	return strings.Join(out, ", ")
}

func floats(fs []float64) string {
	if len(fs) == 0 {
		return "—"
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(out, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
