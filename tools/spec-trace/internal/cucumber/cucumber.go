package cucumber

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// Error is a place in a cucumber JSON file that could not be read.
type Error struct {
	File   string
	Line   int
	Offset int64
	Msg    string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: byte %d: %s", e.File, e.Offset, e.Msg)
}

type tag struct {
	Name string `json:"name"`
}

type result struct {
	Status string `json:"status"`
	Error  string `json:"error_message"`
}

type step struct {
	Keyword string `json:"keyword"`
	Name    string `json:"name"`
	Result  result `json:"result"`
}

type hook struct {
	Result result `json:"result"`
}

type element struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Keyword string `json:"keyword"`
	Line    int    `json:"line"`
	Tags    []tag  `json:"tags"`
	Steps   []step `json:"steps"`
	Before  []hook `json:"before"`
	After   []hook `json:"after"`
}

type feature struct {
	URI      string    `json:"uri"`
	Name     string    `json:"name"`
	Tags     []tag     `json:"tags"`
	Elements []element `json:"elements"`
}

// ParseFile reads the cucumber JSON file at path; name is used in errors
// and should be the path as the user gave it.
func ParseFile(path, name string) ([]model.Test, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tests, err := Parse(f, name)
	var ce *Error
	if errors.As(err, &ce) {
		ce.Line = lineAt(path, ce.Offset)
	}
	return tests, err
}

// Parse reads cucumber JSON from r.
func Parse(r io.Reader, name string) ([]model.Test, error) {
	cr := &counter{r: r}
	dec := json.NewDecoder(bufio.NewReaderSize(cr, 64<<10))
	fail := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			off = te.Offset
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = errors.New("unexpected end of file")
			off = max(cr.n-1, 0)
		}
		return &Error{File: name, Offset: off, Msg: "bad cucumber JSON: " + err.Error()}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &Error{File: name, Offset: 0, Msg: "cucumber JSON must be an array of features"}
	}
	var tests []model.Test
	for dec.More() {
		var f feature
		if err := dec.Decode(&f); err != nil {
			return nil, fail(err)
		}
		tests = append(tests, scenarios(&f)...)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Offset: dec.InputOffset(), Msg: "bad cucumber JSON: data after the array"}
	}
	return tests, nil
}

func scenarios(f *feature) []model.Test {
	var out []model.Test
	var background []step
	for i := range f.Elements {
		e := &f.Elements[i]
		if e.Type == "background" || strings.EqualFold(strings.TrimSpace(e.Keyword), "background") {
			background = append(background, e.Steps...)
			continue
		}
		steps := slices.Concat(background, e.Steps)
		background = nil
		status, note := verdict(steps, e.Before, e.After)
		out = append(out, model.Test{
			Name:   title(f.Name, e.Name),
			Kind:   model.KindGherkin,
			File:   f.URI,
			Line:   e.Line,
			Status: status,
			Note:   note,
			Reqs:   Refs(names(f.Tags), names(e.Tags)),
		})
	}
	return out
}

func title(feature, scenario string) string {
	if feature == "" {
		return scenario
	}
	return feature + ": " + scenario
}

func names(ts []tag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

// Refs returns the requirement IDs named by tags such as @OC-CORE-1001,
// without duplicates, in first-seen order.
func Refs(tagLists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range tagLists {
		for _, t := range list {
			t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "@"))
			if !ids.Valid(t) {
				continue
			}
			got, err := ids.Expand(t)
			if err != nil {
				got = []string{t}
			}
			for _, id := range got {
				if !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
		}
	}
	return out
}

func verdict(steps []step, before, after []hook) (string, string) {
	for _, h := range before {
		if h.Result.Status == "failed" {
			return model.Failed, "before hook failed: " + firstLine(h.Result.Error)
		}
	}
	for _, s := range steps {
		switch s.Result.Status {
		case "failed", "ambiguous":
			msg := fmt.Sprintf("step %s %q: %s", strings.TrimSpace(s.Keyword), s.Name, s.Result.Status)
			if e := firstLine(s.Result.Error); e != "" {
				msg += ": " + e
			}
			return model.Failed, msg
		}
	}
	for _, h := range after {
		if h.Result.Status == "failed" {
			return model.Failed, "after hook failed: " + firstLine(h.Result.Error)
		}
	}
	if len(steps) == 0 {
		return model.Skipped, "scenario has no steps"
	}
	for _, s := range steps {
		if s.Result.Status != "passed" {
			st := s.Result.Status
			if st == "" {
				st = "no result"
			}
			return model.Skipped, fmt.Sprintf("step %s %q: %s", strings.TrimSpace(s.Keyword), s.Name, st)
		}
	}
	return model.Passed, ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// lineAt returns the 1-based line holding byte offset off of the file.
func lineAt(path string, off int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, off))
	line := 1
	buf := make([]byte, 64<<10)
	for {
		n, err := br.Read(buf)
		line += bytes.Count(buf[:n], []byte{'\n'})
		if err != nil {
			return line
		}
	}
}

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
