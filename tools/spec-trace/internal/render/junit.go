package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/model"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string      `xml:"classname,attr"`
	Name    string      `xml:"name,attr"`
	File    string      `xml:"file,attr,omitempty"`
	Line    int         `xml:"line,attr,omitempty"`
	Failure *junitIssue `xml:"failure,omitempty"`
	Skipped *junitIssue `xml:"skipped,omitempty"`
	Out     string      `xml:"system-out,omitempty"`
}

type junitIssue struct {
	Type    string `xml:"type,attr,omitempty"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// ProblemSuite names the testsuite that holds what fails --strict outside
// any requirement.
const ProblemSuite = "spec-trace problems"

// JUnit writes one testcase per requirement, in a testsuite per area, and
// a failing testcase per unknown ID and per problem (build or package
// failure, unreferenced failing test) in the ProblemSuite, so a CI that
// reads only the XML fails where --strict fails.
func JUnit(w io.Writer, r *model.Report) error {
	top := junitSuites{Name: "spec-trace"}
	idx := map[string]int{}
	for _, q := range r.Requirements {
		i, ok := idx[q.Area]
		if !ok {
			i = len(top.Suites)
			idx[q.Area] = i
			top.Suites = append(top.Suites, junitSuite{Name: q.Area})
		}
		s := &top.Suites[i]
		c := junitCase{Class: q.Area, Name: q.ID + " " + q.Level + " " + q.Title, File: q.File, Line: q.Line,
			Out: testLines(q.Tests)}
		msg := fmt.Sprintf("%s %s is %s", q.Level, q.ID, q.Status)
		switch {
		case q.Status == model.Failing:
			c.Failure = &junitIssue{Type: q.Status, Message: msg, Text: testLines(failed(q.Tests))}
		case q.Status == model.Waived && q.Waiver != nil:
			c.Skipped = &junitIssue{Message: fmt.Sprintf("%s (was %s) until %s by %s: %s", msg, q.Was, q.Waiver.Expires, q.Waiver.Owner, q.Waiver.Reason)}
		case q.Status != model.Proven && q.Level == model.Must:
			c.Failure = &junitIssue{Type: q.Status, Message: msg}
		case q.Status != model.Proven:
			c.Skipped = &junitIssue{Message: msg}
		}
		s.Tests++
		top.Tests++
		if c.Failure != nil {
			s.Failures++
			top.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
			top.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	if ps := problemSuite(r); len(ps.Cases) > 0 {
		top.Suites = append(top.Suites, ps)
		top.Tests += ps.Tests
		top.Failures += ps.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(top); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func failed(ts []model.Test) []model.Test {
	var out []model.Test
	for _, t := range ts {
		if t.Status == model.Failed {
			out = append(out, t)
		}
	}
	return out
}

func testLines(ts []model.Test) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%s %s %s", t.Status, t.Kind, t.Name)
		if t.File != "" {
			fmt.Fprintf(&b, " %s:%d", t.File, t.Line)
		}
		if t.Note != "" {
			b.WriteString(" — " + t.Note)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func problemSuite(r *model.Report) junitSuite {
	s := junitSuite{Name: ProblemSuite}
	add := func(c junitCase) {
		c.Class = ProblemSuite
		s.Cases = append(s.Cases, c)
		s.Tests++
		s.Failures++
	}
	for _, u := range r.Unknown {
		msg := fmt.Sprintf("unknown ID %s is referenced by %d test(s) but defined by no spec", u.ID, len(u.Tests))
		add(junitCase{Name: "unknown ID " + u.ID, Failure: &junitIssue{Type: "unknown-id", Message: msg, Text: testLines(u.Tests)}})
	}
	for _, g := range r.Gates {
		add(junitCase{Name: "gate " + g, Failure: &junitIssue{Type: "gate", Message: g}})
	}
	for _, p := range r.Problems {
		name := p.Kind
		for _, part := range []string{p.Package, p.Test} {
			if part != "" {
				name += " " + part
			}
		}
		add(junitCase{Name: name, File: p.File, Line: p.Line, Failure: &junitIssue{Type: p.Kind, Message: ProblemText(p)}})
	}
	return s
}
