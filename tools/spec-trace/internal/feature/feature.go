package feature

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"orchcore.dev/tools/spec-trace/internal/cucumber"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// Error is a syntax error in a feature file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

var gherkinPos = regexp.MustCompile(`^\((\d+):\d+\): (.*)$`)

// Parse reads one .feature file; name is its path relative to the root.
func Parse(r io.Reader, name string) ([]model.Test, error) {
	n := 0
	doc, err := gherkin.ParseGherkinDocument(r, func() string { n++; return strconv.Itoa(n) })
	if err != nil {
		return nil, syntax(name, err)
	}
	if doc.Feature == nil {
		return nil, nil
	}
	f := doc.Feature
	var out []model.Test
	add := func(sc *messages.Scenario, outer []string, bg []*messages.Step) {
		tags := slices.Concat(outer, tagNames(sc.Tags))
		base := model.Test{Name: f.Name + ": " + sc.Name, Kind: model.KindGherkin, File: name, Status: model.NotRun}
		text := scenarioText(tags, sc, bg)
		if len(sc.Examples) == 0 {
			t := base
			t.Line = int(sc.Location.Line)
			t.Reqs = cucumber.Refs(tags)
			t.Hash = digest(text)
			out = append(out, t)
			return
		}
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				t := base
				t.Line = int(row.Location.Line)
				t.Reqs = cucumber.Refs(tags, tagNames(ex.Tags))
				t.Hash = digest(text + "examples " + strings.Join(tagNames(ex.Tags), " ") + "\n" + cells(ex.TableHeader) + cells(row))
				out = append(out, t)
			}
		}
	}
	ftags := tagNames(f.Tags)
	var fbg []*messages.Step
	for _, c := range f.Children {
		switch {
		case c.Background != nil:
			fbg = c.Background.Steps
		case c.Scenario != nil:
			add(c.Scenario, ftags, fbg)
		case c.Rule != nil:
			rtags := slices.Concat(ftags, tagNames(c.Rule.Tags))
			rbg := fbg
			for _, rc := range c.Rule.Children {
				switch {
				case rc.Background != nil:
					rbg = slices.Concat(fbg, rc.Background.Steps)
				case rc.Scenario != nil:
					add(rc.Scenario, rtags, rbg)
				}
			}
		}
	}
	return out, nil
}

// scenarioText is what a scenario's source hash covers: its tags, name,
// the background steps and its steps with their doc strings and tables.
func scenarioText(tags []string, sc *messages.Scenario, bg []*messages.Step) string {
	var b strings.Builder
	b.WriteString(strings.Join(tags, " ") + "\n" + sc.Keyword + ": " + sc.Name + "\n")
	for _, st := range slices.Concat(bg, sc.Steps) {
		b.WriteString(strings.TrimSpace(st.Keyword) + " " + st.Text + "\n")
		if st.DocString != nil {
			b.WriteString(st.DocString.Content + "\n")
		}
		if st.DataTable != nil {
			for _, r := range st.DataTable.Rows {
				b.WriteString(cells(r))
			}
		}
	}
	return b.String()
}

func cells(r *messages.TableRow) string {
	if r == nil {
		return ""
	}
	var parts []string
	for _, c := range r.Cells {
		parts = append(parts, c.Value)
	}
	return "| " + strings.Join(parts, " | ") + " |\n"
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func tagNames(ts []*messages.Tag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func syntax(name string, err error) error {
	for _, l := range strings.Split(err.Error(), "\n") {
		if m := gherkinPos.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			line, _ := strconv.Atoi(m[1])
			return &Error{File: name, Line: line, Msg: "gherkin: " + m[2]}
		}
	}
	return &Error{File: name, Line: 1, Msg: "gherkin: " + err.Error()}
}
