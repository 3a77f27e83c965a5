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

var page = template.Must(template.New("page").Parse(pageSrc))

type htmlData struct {
	*model.Report
	Areas     []string
	Levels    []string
	Statuses  []string
	Total     string
	Attention []Item
	More      int
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
	return page.Execute(w, htmlData{Report: r, Areas: areas, Levels: model.Levels,
		Statuses: model.Statuses, Total: Total(r), Attention: att, More: more})
}
