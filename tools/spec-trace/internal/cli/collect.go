package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/cucumber"
	"orchcore.dev/tools/spec-trace/internal/feature"
	"orchcore.dev/tools/spec-trace/internal/gotest"
	"orchcore.dev/tools/spec-trace/internal/junit"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/repo"
	"orchcore.dev/tools/spec-trace/internal/spec"
)

// Collect reads the specs and feature files under root and every results
// file, and builds the report.
func Collect(root string, results []string) (*model.Report, error) {
	return CollectWarn(root, results, func(string) {})
}

// CollectWarn is Collect that reports skipped inputs through warn: a
// results file that is itself a spec-trace JSON report (as when a glob
// such as reports/*.json also matches coverage.json) is skipped.
func CollectWarn(root string, results []string, warn func(string)) (*model.Report, error) {
	reqs, err := spec.Load(root)
	if err != nil {
		return nil, err
	}
	rp, err := repo.Scan(root)
	if err != nil {
		return nil, err
	}
	var m merger
	for _, rel := range rp.Features() {
		ts, err := readFeature(filepath.Join(root, filepath.FromSlash(rel)), rel)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			m.feature(t)
		}
	}
	var problems []model.Problem
	for _, path := range results {
		ts, ps, err := readResults(path)
		if errors.Is(err, errReport) {
			warn(fmt.Sprintf("%s: skipped, it is a spec-trace report, not test results", path))
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.Test != "" && p.File == "" {
				p.File, p.Line = rp.Locate(p.Package, p.Test)
			}
			problems = append(problems, p)
		}
		for _, t := range ts {
			if t.Kind == model.KindGo {
				t.File, t.Line, t.Hash = rp.Where(t.Package, t.Name)
			}
			m.result(t)
		}
	}
	rep := model.Build(reqs, m.tests, problems)
	return &rep, nil
}

func readFeature(path, rel string) ([]model.Test, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return feature.Parse(f, rel)
}

// readResults tells the kind of a results file by its first non-blank
// byte and parses it.
func readResults(path string) ([]model.Test, []model.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	first, line, err := peek(br)
	if errors.Is(err, io.EOF) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	switch first {
	case '[':
		f.Close()
		ts, err := cucumber.ParseFile(path, path)
		return ts, nil, err
	case '<':
		ts, err := junit.Parse(br, path)
		return ts, nil, err
	case '{':
		if isReport(br) {
			return nil, nil, errReport
		}
		res, err := gotest.Parse(br, path)
		return res.Tests, res.Problems, err
	}
	return nil, nil, fmt.Errorf("%s:%d: neither go test -json (JSON objects, one per line), cucumber JSON (an array) nor JUnit XML", path, line)
}

var errReport = errors.New("a spec-trace report")

// isReport tells a spec-trace JSON report (an indented object whose first
// key is "schema") from a go test -json stream.
func isReport(br *bufio.Reader) bool {
	head, _ := br.Peek(256)
	s := strings.TrimLeft(string(head), " \t\r\n\xef\xbb\xbf")
	rest, ok := strings.CutPrefix(s, "{")
	if !ok {
		return false
	}
	return strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), `"schema": "spec-trace/`) ||
		strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), `"schema":"spec-trace/`)
}

func peek(br *bufio.Reader) (byte, int, error) {
	line := 1
	for i := 0; ; i++ {
		b, err := br.Peek(i + 1)
		if err != nil {
			return 0, line, err
		}
		c := b[i]
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', 0xEF, 0xBB, 0xBF:
		default:
			return c, line, nil
		}
		if i+1 >= br.Size() {
			return 0, line, errors.New("only blank space at the start")
		}
	}
}

// merger joins results of the same test from several places.
type merger struct {
	tests []model.Test
	index map[string]int
	lines map[int][]int // feature tests by line
}

func (m *merger) init() {
	if m.index == nil {
		m.index = map[string]int{}
		m.lines = map[int][]int{}
	}
}

func (m *merger) feature(t model.Test) {
	m.init()
	m.add(key(t), t)
	m.lines[t.Line] = append(m.lines[t.Line], len(m.tests)-1)
}

func (m *merger) result(t model.Test) {
	m.init()
	if t.Kind == model.KindGherkin {
		u := strings.TrimPrefix(strings.TrimPrefix(filepath.ToSlash(t.File), "file://"), "./")
		for _, i := range m.lines[t.Line] {
			if f := m.tests[i].File; f == u || strings.HasSuffix(f, "/"+u) || strings.HasSuffix(u, "/"+f) {
				t.File = f
				break
			}
		}
	}
	m.add(key(t), t)
}

func (m *merger) add(k string, t model.Test) {
	i, ok := m.index[k]
	if !ok {
		m.index[k] = len(m.tests)
		m.tests = append(m.tests, t)
		return
	}
	old := &m.tests[i]
	if old.Hash == "" {
		old.Hash = t.Hash
	}
	merged := model.Merge(old.Status, t.Status)
	if merged != old.Status || (t.Status == old.Status && old.Note == "") {
		old.Note = t.Note
	}
	// Results of one test from several inputs are attempts in the order
	// of the inputs: a failure followed by a pass is flaky.
	att := slices.Concat(attempts(*old), attempts(t))
	if len(att) > 1 && (slices.Contains(att, model.Failed) || slices.Contains(att, model.FlakyRun)) {
		merged = model.Outcome(att)
		old.Attempts = att
	}
	old.Status = merged
	for _, id := range t.Reqs {
		if !slices.Contains(old.Reqs, id) {
			old.Reqs = append(old.Reqs, id)
		}
	}
}

func attempts(t model.Test) []string {
	switch {
	case len(t.Attempts) > 0:
		return t.Attempts
	case t.Status == model.NotRun:
		return nil
	}
	return []string{t.Status}
}

func key(t model.Test) string {
	switch t.Kind {
	case model.KindGo, model.KindJUnit:
		return t.Kind + "\x00" + t.Package + "\x00" + t.Name
	}
	return fmt.Sprintf("gherkin\x00%s\x00%d", t.File, t.Line)
}
