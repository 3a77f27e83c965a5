package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// Error is a place in a JUnit file that could not be read.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

type property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type issue struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type testcase struct {
	Class   string     `xml:"classname,attr"`
	Name    string     `xml:"name,attr"`
	File    string     `xml:"file,attr"`
	Line    string     `xml:"line,attr"`
	Status  string     `xml:"status,attr"`
	Result  string     `xml:"result,attr"`
	Req     string     `xml:"req,attr"`
	Props   []property `xml:"properties>property"`
	Failure []issue    `xml:"failure"`
	Err     []issue    `xml:"error"`
	Skipped []issue    `xml:"skipped"`
}

// Parse reads one JUnit XML document; name is used in errors.
func Parse(r io.Reader, name string) ([]model.Test, error) {
	dec := xml.NewDecoder(r)
	root := true
	var out []model.Test
	index := map[string]int{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if root {
				return nil, &Error{name, 1, "no XML element; want JUnit XML (<testsuites> or <testsuite>)"}
			}
			for i := range out {
				if len(out[i].Attempts) < 2 {
					out[i].Attempts = nil
				}
			}
			return out, nil
		}
		if err != nil {
			return nil, syntax(name, dec, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := dec.InputPos()
		if root {
			if se.Name.Local != "testsuites" && se.Name.Local != "testsuite" {
				return nil, &Error{name, line, fmt.Sprintf("root element <%s>; want JUnit XML, whose root is <testsuites> or <testsuite>", se.Name.Local)}
			}
			root = false
			continue
		}
		if se.Name.Local != "testcase" {
			continue
		}
		var tc testcase
		if err := dec.DecodeElement(&tc, &se); err != nil {
			return nil, syntax(name, dec, err)
		}
		t, ok := convert(tc)
		if !ok {
			continue
		}
		k := t.Package + "\x00" + t.Name
		if i, seen := index[k]; seen {
			old := &out[i]
			old.Attempts = append(old.Attempts, t.Status)
			old.Status = model.Outcome(old.Attempts)
			if t.Status == model.Failed && old.Note == "" {
				old.Note = t.Note
			}
			for _, id := range t.Reqs {
				if !slices.Contains(old.Reqs, id) {
					old.Reqs = append(old.Reqs, id)
				}
			}
			continue
		}
		t.Attempts = []string{t.Status}
		index[k] = len(out)
		out = append(out, t)
	}
}

func syntax(name string, dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{name, se.Line, "not well-formed XML: " + se.Msg}
	}
	line, _ := dec.InputPos()
	return &Error{name, line, "bad JUnit XML: " + err.Error()}
}

func convert(tc testcase) (model.Test, bool) {
	var reqs []string
	addRefs := func(v string) {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			got, err := ids.List(part)
			if err != nil {
				got = []string{part}
			}
			for _, id := range got {
				if !slices.Contains(reqs, id) {
					reqs = append(reqs, id)
				}
			}
		}
	}
	for _, p := range tc.Props {
		if p.Name == "req" {
			addRefs(p.Value)
		}
	}
	addRefs(tc.Req)
	if len(reqs) == 0 {
		return model.Test{}, false
	}
	t := model.Test{Name: tc.Name, Kind: model.KindJUnit, Package: tc.Class, File: tc.File, Reqs: reqs}
	t.Line, _ = strconv.Atoi(tc.Line)
	switch {
	case len(tc.Failure) > 0:
		t.Status, t.Note = model.Failed, note(tc.Failure[0])
	case len(tc.Err) > 0:
		t.Status, t.Note = model.Failed, "error: "+note(tc.Err[0])
	case len(tc.Skipped) > 0 || tc.Result == "skipped":
		t.Status = model.Skipped
	case tc.Status == "notrun":
		t.Status, t.Note = model.NotRun, "not run (disabled)"
	default:
		t.Status = model.Passed
	}
	return t, true
}

func note(i issue) string {
	s := strings.TrimSpace(i.Message)
	if s == "" || s == "Failed" {
		s = strings.TrimSpace(i.Text)
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
