package gotest

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// MaxLine bounds one event line; longer lines are an error unless they are
// output events, which are skipped whatever their length.
const MaxLine = 64 << 20

// Result is what one stream says about tests and packages.
type Result struct {
	Tests    []model.Test
	Problems []model.Problem
}

// Error is a line that could not be read.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

type event struct {
	Action      string
	Package     string
	Test        string
	Key         string
	Value       string
	Output      string
	FailedBuild string
	ImportPath  string
}

type test struct {
	pkg, name string
	reqs      []string
	status    string
	attempts  []string // each result in stream order
	order     int
	done      bool
	note      string
	panic     []byte   // the first "panic:" line, a better note than a stack tail
	tail      [][]byte // last output lines (JSON-escaped) while running
}

// TailLines is how many output lines of a referencing test are kept to
// explain its failure.
const TailLines = 3

type pkg struct {
	status      string
	failedBuild string
	failedTests int
	unfinished  int    // tests that started and never got a result
	panic       string // the first "panic:" line of the package output
}

type parser struct {
	tests   map[[2]string]*test
	pkgs    map[string]*pkg
	build   map[string][]string
	order   int
	running int               // referencing tests without a result yet
	last    *test             // the test of the previous output line
	open    map[[2]string]int // started tests without a result yet, by start order
	opened  int
}

var (
	outputMark = []byte(`"Action":"output"`)
	panicMark  = []byte(`"Output":"panic: `)
	bom        = []byte("\xef\xbb\xbf")
)

// Parse reads one go test -json stream; name is used in errors.
func Parse(r io.Reader, name string) (Result, error) {
	p := &parser{tests: map[[2]string]*test{}, pkgs: map[string]*pkg{}, build: map[string][]string{}, open: map[[2]string]int{}}
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if bytes.Contains(line, outputMark) {
				if err := skipRest(br); err != nil && !errors.Is(err, io.EOF) {
					return Result{}, &Error{name, n, err.Error()}
				}
				continue
			}
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
				if len(long) > MaxLine {
					return Result{}, &Error{name, n, "line longer than 64 MiB"}
				}
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return Result{}, &Error{name, n, err.Error()}
		}
		if perr := p.line(line); perr != "" {
			return Result{}, &Error{name, n, perr}
		}
		if err != nil {
			break
		}
	}
	return p.result(), nil
}

func skipRest(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

func (p *parser) line(line []byte) string {
	line = bytes.TrimSpace(bytes.TrimPrefix(line, bom))
	if len(line) == 0 {
		return ""
	}
	if line[0] != '{' || line[len(line)-1] != '}' {
		return "not a go test -json event (want one JSON object per line): " + quote(line)
	}
	if bytes.Contains(line, outputMark) {
		if bytes.Contains(line, panicMark) {
			p.pkgPanic(line)
		}
		if p.running > 0 {
			return p.output(line)
		}
		return ""
	}
	var e event
	if err := json.Unmarshal(line, &e); err != nil {
		return "bad go test -json event: " + err.Error()
	}
	if e.Action == "" {
		return "not a go test -json event (no Action): " + quote(line)
	}
	p.event(&e)
	return ""
}

func quote(b []byte) string {
	if len(b) > 60 {
		b = append(slices.Clone(b[:60]), "..."...)
	}
	return strconv.Quote(string(b))
}

func (p *parser) pkg(name string) *pkg {
	k := p.pkgs[name]
	if k == nil {
		k = &pkg{}
		p.pkgs[name] = k
	}
	return k
}

func (p *parser) test(e *event) *test {
	key := [2]string{e.Package, e.Test}
	t := p.tests[key]
	if t == nil {
		p.order++
		t = &test{pkg: e.Package, name: e.Test, order: p.order}
		p.tests[key] = t
	}
	return t
}

func (p *parser) event(e *event) {
	switch e.Action {
	case "attr":
		if e.Key != "req" || e.Test == "" {
			return
		}
		t := p.test(e)
		if len(t.reqs) == 0 && !t.done {
			p.running++
		}
		got, err := ids.List(e.Value)
		if err != nil {
			got = []string{strings.TrimSpace(e.Value)}
		}
		for _, id := range got {
			if !slices.Contains(t.reqs, id) {
				t.reqs = append(t.reqs, id)
			}
		}
	case "pass", "fail", "skip":
		status := model.Passed
		switch e.Action {
		case "fail":
			status = model.Failed
		case "skip":
			status = model.Skipped
		}
		if e.Test == "" {
			k := p.pkg(e.Package)
			k.status = model.Merge(k.status, status)
			if e.FailedBuild != "" {
				k.failedBuild = e.FailedBuild
			}
			return
		}
		delete(p.open, [2]string{e.Package, e.Test})
		if status == model.Failed {
			p.pkg(e.Package).failedTests++
		}
		t := p.tests[[2]string{e.Package, e.Test}]
		if t == nil && status != model.Failed {
			return
		}
		if t == nil {
			t = p.test(e)
		}
		if len(t.reqs) > 0 && !t.done {
			p.running--
		}
		t.done = true
		t.status = model.Merge(t.status, status)
		t.attempts = append(t.attempts, status)
		if status == model.Failed && t.note == "" {
			t.note = t.failureNote()
		}
		t.tail, t.panic = nil, nil
	case "start", "run":
		p.pkg(e.Package)
		if e.Action == "run" && e.Test != "" {
			p.opened++
			p.open[[2]string{e.Package, e.Test}] = p.opened
		}
		if t := p.tests[[2]string{e.Package, e.Test}]; t != nil && t.done && len(t.reqs) > 0 {
			t.done = false // another run (-count): follow its output again
			p.running++
		}
	case "build-output":
		if b := p.build[e.ImportPath]; len(b) < 50 {
			p.build[e.ImportPath] = append(b, strings.TrimRight(e.Output, "\n"))
		}
	}
}

var goPos = regexp.MustCompile(`^(?:\./)?([^\s:]+\.go):([0-9]+)(?::[0-9]+)?: (.*)$`)

// pkgPanic keeps the first panic line of a package: a timeout or a panic
// in another goroutine ends the test binary without a result for the test
// that was running, and this line is then the only explanation.
func (p *parser) pkgPanic(line []byte) {
	name, ok1 := field(line, pkgField)
	text, ok2 := rawField(line, outputField)
	if !ok1 || !ok2 {
		return
	}
	if k := p.pkg(string(name)); k.panic == "" {
		k.panic = unescape(text)
	}
}

// unfinished turns the tests that started and never got a result into
// tests without a status, so the rules below can blame them.
func (p *parser) unfinished() {
	keys := make([][2]string, 0, len(p.open))
	for k := range p.open {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return p.open[a] - p.open[b] })
	for _, key := range keys {
		p.pkg(key[0]).unfinished++
		p.test(&event{Package: key[0], Test: key[1]})
	}
}

// explained reports whether a failed package's failure shows through one
// of its tests: one failed, or one started and never finished (timeout,
// panic in a goroutine, crash). Only an unexplained failure (TestMain exit,
// leak check after the tests) demotes the tests that passed.
func (k *pkg) explained() bool { return k.failedTests > 0 || k.unfinished > 0 }

func (p *parser) result() Result {
	var res Result
	p.unfinished()
	tests := make([]*test, 0, len(p.tests))
	for _, t := range p.tests {
		tests = append(tests, t)
	}
	slices.SortFunc(tests, func(a, b *test) int { return a.order - b.order })
	referencing := map[[2]string]bool{}
	for _, t := range tests {
		if len(t.reqs) > 0 {
			referencing[[2]string{t.pkg, t.name}] = true
		}
	}
	type orphan struct {
		*test
		why string
	}
	var orphans []orphan
	for _, t := range tests {
		k := p.pkg(t.pkg)
		mt := model.Test{Name: t.name, Kind: model.KindGo, Package: t.pkg, Status: t.status, Reqs: t.reqs}
		switch {
		case t.status == "" && k.status == "":
			mt.Status, mt.Note = model.Failed, "no result: the stream ended before the test finished"
		case t.status == "" && k.status == model.Failed:
			mt.Status, mt.Note = model.Failed, "no result: its package failed: "+cmp.Or(t.failureNote(), k.panic, "crash")
		case t.status == "":
			mt.Status, mt.Note = model.NotRun, "no result recorded"
		case t.status == model.Passed && k.status == model.Failed && !k.explained():
			mt.Status, mt.Note = model.Failed, "passed, but its package failed afterwards (TestMain exit, leak check or crash)"
		}
		if mt.Status == model.Failed && mt.Note == "" {
			mt.Note = t.note
		}
		if slices.Contains(t.attempts, model.Failed) && len(t.attempts) > 1 {
			mt.Attempts = t.attempts
			if mt.Status == model.Failed && model.Outcome(t.attempts) == model.FlakyRun {
				mt.Status = model.FlakyRun
				mt.Note = "failed, then passed on a rerun: " + t.note
			}
		}
		if len(t.reqs) == 0 {
			switch {
			case ancestorRefs(referencing, t):
			case mt.Status == model.Failed:
				orphans = append(orphans, orphan{t, mt.Note})
			case mt.Status == model.FlakyRun:
				res.Problems = append(res.Problems, model.Problem{Kind: model.TestFlaky, Package: t.pkg, Test: t.name,
					Message: t.name + " failed, then passed on a rerun, and references no requirement"})
			}
			continue
		}
		res.Tests = append(res.Tests, mt)
	}
	parents := map[[2]string]bool{}
	for _, t := range orphans {
		for n := t.name; strings.Contains(n, "/"); {
			n = n[:strings.LastIndexByte(n, '/')]
			parents[[2]string{t.pkg, n}] = true
		}
	}
	for _, t := range orphans {
		if parents[[2]string{t.pkg, t.name}] {
			continue // only the innermost failures are reported
		}
		msg := t.name + " failed and references no requirement"
		if t.status == "" {
			msg += " (" + t.why + ")"
		}
		res.Problems = append(res.Problems, model.Problem{Kind: model.TestFailed, Package: t.pkg, Test: t.name, Message: msg})
	}
	names := make([]string, 0, len(p.pkgs))
	for n := range p.pkgs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		k := p.pkgs[n]
		switch {
		case k.failedBuild != "":
			res.Problems = append(res.Problems, p.buildProblem(n, k.failedBuild))
		case k.status == model.Failed && !k.explained():
			res.Problems = append(res.Problems, model.Problem{Kind: model.PackageFailed, Package: n,
				Message: "package failed although none of its tests failed (TestMain exit, crash or setup failure)"})
		}
	}
	return res
}

func (p *parser) buildProblem(pkg, importPath string) model.Problem {
	pr := model.Problem{Kind: model.BuildFailed, Package: pkg, Message: "build failed"}
	for _, l := range p.build[importPath] {
		if m := goPos.FindStringSubmatch(l); m != nil {
			pr.File = m[1]
			pr.Line, _ = strconv.Atoi(m[2])
			pr.Message = "build failed: " + m[3]
			break
		}
	}
	return pr
}

// ancestorRefs reports whether a parent test of t references requirements;
// its failure then already shows through that parent.
func ancestorRefs(referencing map[[2]string]bool, t *test) bool {
	name := t.name
	for {
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return false
		}
		name = name[:i]
		if referencing[[2]string{t.pkg, name}] {
			return true
		}
	}
}

var (
	pkgField    = []byte(`"Package":"`)
	testField   = []byte(`"Test":"`)
	outputField = []byte(`"Output":"`)
)

// output keeps the last lines a running referencing test printed. It finds
// the package, test and text by scanning; the text stays JSON-escaped
// until the test fails, so passing tests cost no decoding.
func (p *parser) output(line []byte) string {
	pkg, ok1 := field(line, pkgField)
	name, ok2 := field(line, testField)
	text, ok3 := rawField(line, outputField)
	if !ok1 || !ok2 || !ok3 {
		return ""
	}
	t := p.last
	if t == nil || t.pkg != string(pkg) || t.name != string(name) {
		t = p.tests[[2]string{string(pkg), string(name)}]
		p.last = t
	}
	if t == nil || t.done || len(t.reqs) == 0 {
		return ""
	}
	if bytes.HasPrefix(text, []byte("=== ")) || bytes.HasPrefix(text, []byte("--- ")) || len(bytes.TrimSpace(text)) == 0 ||
		bytes.Equal(text, []byte(`\n`)) {
		return ""
	}
	if t.panic == nil && bytes.HasPrefix(text, []byte("panic: ")) {
		t.panic = slices.Clone(text)
	}
	if len(t.tail) < TailLines {
		t.tail = append(t.tail, nil)
	} else {
		first := t.tail[0]
		copy(t.tail, t.tail[1:])
		t.tail[len(t.tail)-1] = first
	}
	last := len(t.tail) - 1
	t.tail[last] = append(t.tail[last][:0], text...)
	return ""
}

// note turns the kept raw output into one line.
func (t *test) failureNote() string {
	if t.panic != nil {
		return unescape(t.panic)
	}
	parts := make([]string, 0, len(t.tail))
	for _, raw := range t.tail {
		parts = append(parts, unescape(raw))
	}
	return strings.Join(parts, " | ")
}

func unescape(raw []byte) string {
	var s string
	if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s); err != nil {
		s = string(raw)
	}
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// rawField returns the still-escaped string value after key.
func rawField(line, key []byte) ([]byte, bool) {
	i := bytes.Index(line, key)
	if i < 0 {
		return nil, false
	}
	v := line[i+len(key):]
	for j := 0; j < len(v); j++ {
		switch v[j] {
		case '\\':
			j++
		case '"':
			return v[:j], true
		}
	}
	return nil, false
}

// field returns the plain string value after key, or false when the value
// has escapes (the caller then treats the line as not tracked).
func field(line, key []byte) ([]byte, bool) {
	i := bytes.Index(line, key)
	if i < 0 {
		return nil, false
	}
	v := line[i+len(key):]
	j := bytes.IndexByte(v, '"')
	if j < 0 || bytes.IndexByte(v[:j], '\\') >= 0 {
		return nil, false
	}
	return v[:j], true
}
