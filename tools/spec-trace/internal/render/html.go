package render

import (
	_ "embed"
	"html/template"
	"io"
	"slices"

	"orchcore.dev/tools/spec-trace/internal/model"
)

//go:embed page.html.tmpl
var pageSrc string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"icon": func(s string) string { return icons[s] },
}).Parse(pageSrc))

type htmlData struct {
	*model.Report
	Areas     []string
	Levels    []string
	Statuses  []string
	Total     string
	Attention []string
}

// HTML writes the self-contained page.
func HTML(w io.Writer, r *model.Report) error {
	var areas []string
	for _, q := range r.Requirements {
		if !slices.Contains(areas, q.Area) {
			areas = append(areas, q.Area)
		}
	}
	slices.Sort(areas)
	return page.Execute(w, htmlData{Report: r, Areas: areas, Levels: model.Levels,
		Statuses: model.Statuses, Total: Total(r), Attention: Attention(r)})
}
