package render_test

import (
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

// The terminal summary is plain text; only the Markdown report escapes.
func TestSummaryIsPlainText(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	title := "Reject <x> | y"
	rep := model.Build([]model.Requirement{{ID: "X-1", Level: model.Must, Title: title}}, nil, nil)
	s := renderTo(t, render.Summary, &rep)
	if !strings.Contains(s, "X-1 MUST unproven — "+title+"\n") || strings.Contains(s, "&lt;") || strings.Contains(s, `\|`) {
		t.Errorf("summary does not show the title as written:\n%s", s)
	}
	md := renderTo(t, render.Markdown, &rep)
	if !strings.Contains(md, `Reject &lt;x&gt; \| y`) {
		t.Errorf("markdown does not escape the title:\n%s", md)
	}
}
