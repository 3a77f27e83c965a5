package render

import (
	"fmt"
	"html/template"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Trend draws the proven (green) and failing (red) counts of the runs,
// oldest left, as a small inline SVG; one run gives two dots.
func Trend(runs []model.RunSummary) template.HTML {
	const w, h, pad = 320, 80, 4
	if len(runs) == 0 {
		return ""
	}
	top := 1
	for _, r := range runs {
		top = max(top, r.Proven, r.Failing)
	}
	x := func(i int) float64 {
		if len(runs) == 1 {
			return w / 2
		}
		return pad + float64(i)*(w-2*pad)/float64(len(runs)-1)
	}
	y := func(v int) float64 { return h - pad - float64(v)*(h-2*pad)/float64(top) }
	line := func(get func(model.RunSummary) int, color string) string {
		var pts []string
		var dots strings.Builder
		for i, r := range runs {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(get(r))))
			fmt.Fprintf(&dots, `<circle cx="%.1f" cy="%.1f" r="2" fill="%s"><title>%s: %d</title></circle>`,
				x(i), y(get(r)), color, template.HTMLEscapeString(r.Time+" "+r.Commit), get(r))
		}
		return fmt.Sprintf(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>%s`, color, strings.Join(pts, " "), dots.String())
	}
	svg := fmt.Sprintf(`<svg class="trend" role="img" aria-label="proven and failing requirements over the last %d runs" width="%d" height="%d" viewBox="0 0 %d %d">`, len(runs), w, h, w, h) +
		line(func(r model.RunSummary) int { return r.Proven }, "#1a7f37") +
		line(func(r model.RunSummary) int { return r.Failing }, "#cf222e") + `</svg>`
	first, last := runs[0], runs[len(runs)-1]
	svg += fmt.Sprintf(`<div class="where">%s: %d proven, %d failing of %d → %s: %d proven, %d failing of %d (scale 0 to %d)</div>`,
		template.HTMLEscapeString(first.Time), first.Proven, first.Failing, first.Total,
		template.HTMLEscapeString(last.Time), last.Proven, last.Failing, last.Total, top)
	return template.HTML(svg)
}
