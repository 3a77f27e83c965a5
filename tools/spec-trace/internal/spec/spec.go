package spec

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// Dir is the directory, relative to the root, that holds the specs.
const Dir = ".specs"

// Error is one problem found in a spec file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

var (
	head    = regexp.MustCompile(`^\[(` + ids.Pattern + `)\]`)
	keyword = regexp.MustCompile(`\b(NOT RECOMMENDED|MUST(?: NOT)?|SHALL(?: NOT)?|REQUIRED|SHOULD(?: NOT)?|RECOMMENDED|MAY|OPTIONAL)\b`)
	listNum = regexp.MustCompile(`^[0-9]+[.)]\s+`)
	task    = regexp.MustCompile(`^\[[ xX]\]\s+`)
)

// Load reads every *.md file under root/.specs.
func Load(root string) ([]model.Requirement, error) {
	dir := filepath.Join(root, Dir)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: no specs directory", dir)
	}
	var p Parser
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return p.Add(filepath.ToSlash(rel), f)
	})
	if err != nil {
		return nil, err
	}
	return p.Result()
}

// Parser collects definitions from several files; call Add for each file
// and Result once at the end.
type Parser struct {
	defs     []def
	mentions []def
	errs     []error
	cont     []int // defs of the previous line, open for continuation
}

type def struct {
	model.Requirement
	raw string
}

// Add reads one Markdown file; name is used in errors and in the model.
func (p *Parser) Add(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var open fence // the fence we are inside, if any
	openAt := 0
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		f, info := fenceOf(line)
		switch {
		case open.n == 0 && f.n > 0:
			open, openAt = f, n
			p.cont = nil
		case open.n == 0:
			p.line(name, n, line)
		case f.c == open.c && f.n >= open.n && !info:
			open = fence{}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p.cont = nil
	if open.n > 0 {
		return &Error{name, openAt, "code fence opened here is never closed; the requirements after it would be skipped"}
	}
	return nil
}

// fence is a run of n backticks or tildes (c) that opens or closes a
// fenced code block.
type fence struct {
	c byte
	n int
}

// fenceOf reads a fence line the CommonMark way: at most three spaces of
// indent, then three or more of one fence character; info tells whether
// text follows, which a closing fence may not have. A backtick fence's
// text may not hold a backtick.
func fenceOf(line string) (f fence, info bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || t == "" || (t[0] != '`' && t[0] != '~') {
		return fence{}, false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return fence{}, false
	}
	rest := strings.TrimSpace(t[n:])
	if t[0] == '`' && strings.Contains(rest, "`") {
		return fence{}, false
	}
	return fence{t[0], n}, rest != ""
}

func (p *Parser) line(name string, n int, line string) {
	body, table := strip(line)
	m := head.FindStringSubmatch(body)
	if m == nil {
		p.continued(line, body)
		return
	}
	p.cont = p.cont[:0]
	rest := body[len(m[0]):]
	list, err := ids.Expand(m[1])
	if err != nil {
		p.errs = append(p.errs, &Error{name, n, err.Error()})
		return
	}
	level, title, text := levelTitle(rest, table)
	for _, id := range list {
		d := def{Requirement: model.Requirement{ID: id, Level: level, Title: title, Text: text, File: name, Line: n}, raw: m[1]}
		if level == "" {
			p.mentions = append(p.mentions, d)
		} else {
			p.cont = append(p.cont, len(p.defs))
			p.defs = append(p.defs, d)
		}
	}
}

// continued adds an indented line that follows a definition (a wrapped
// list item) to its text; any other line ends the definition.
func (p *Parser) continued(line, body string) {
	if len(p.cont) == 0 {
		return
	}
	if strings.TrimSpace(line) == "" || (line[0] != ' ' && line[0] != '\t') {
		p.cont = p.cont[:0]
		return
	}
	for _, i := range p.cont {
		d := &p.defs[i]
		if d.Text == "" {
			d.Text = body
		} else {
			d.Text += " " + body
		}
	}
}

// Hash is the content hash of a requirement: SHA-256 of its title and
// text with runs of white space collapsed, as 16 hex digits.
func Hash(title, text string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(title), " ") + "\n" + strings.Join(strings.Fields(text), " ")))
	return hex.EncodeToString(sum[:8])
}

// strip removes leading Markdown markers and reports whether the line is a
// table row.
func strip(line string) (string, bool) {
	s := strings.TrimSpace(line)
	table := strings.HasPrefix(s, "|")
	for {
		before := s
		s = strings.TrimLeft(s, " \t>#|*_+")
		if strings.HasPrefix(s, "- ") {
			s = s[2:]
		}
		if m := listNum.FindString(s); m != "" {
			s = s[len(m):]
		}
		if m := task.FindString(s); m != "" {
			s = s[len(m):]
		}
		if s == before {
			return s, table
		}
	}
}

func levelTitle(rest string, table bool) (string, string, string) {
	k := keyword.FindStringSubmatchIndex(rest)
	if k == nil {
		t, x := cleanTitle(rest, table)
		return "", t, x
	}
	level := levelOf(rest[k[2]:k[3]])
	lead := strings.Trim(rest[:k[0]], " \t*_(:|—–-")
	title := rest
	if lead == "" {
		title = rest[k[1]:]
	}
	t, x := cleanTitle(title, table)
	return level, t, x
}

func levelOf(word string) string {
	switch word {
	case "SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED":
		return model.Should
	case "MAY", "OPTIONAL":
		return model.May
	}
	return model.Must
}

// cleanTitle returns the title (up to the first sentence end) and the
// rule text after it.
func cleanTitle(s string, table bool) (string, string) {
	if table {
		for _, cell := range strings.Split(s, "|") {
			c := strings.Trim(cell, " \t*_")
			if c != "" && keyword.FindString(c) != c {
				s = c
				break
			}
		}
	}
	s = strings.TrimLeft(s, " \t*_):|—–-")
	text := ""
	if i := strings.Index(s, ". "); i >= 0 && !table {
		s, text = s[:i], strings.TrimSpace(s[i+2:])
	} else if i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " \t*_|")
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSpace(strings.Trim(s, "*_")), strings.Join(strings.Fields(text), " ")
}

// Result returns the requirements in file order, or every error found.
func (p *Parser) Result() ([]model.Requirement, error) {
	errs := p.errs
	first := map[string]def{}
	var out []model.Requirement
	for _, d := range p.defs {
		if f, dup := first[d.ID]; dup {
			errs = append(errs, &Error{d.File, d.Line,
				fmt.Sprintf("%s is defined again (first defined at %s:%d)", d.ID, f.File, f.Line)})
			continue
		}
		first[d.ID] = d
		d.Hash = Hash(d.Title, d.Text)
		out = append(out, d.Requirement)
	}
	told := map[string]bool{}
	for _, m := range p.mentions {
		where := fmt.Sprintf("%s:%d", m.File, m.Line)
		if _, ok := first[m.ID]; ok || told[where] {
			continue
		}
		told[where] = true
		errs = append(errs, &Error{m.File, m.Line,
			fmt.Sprintf("[%s] has no RFC 2119 level (MUST, SHOULD or MAY) and is not defined elsewhere", m.raw)})
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b error) int {
			var x, y *Error
			errors.As(a, &x)
			errors.As(b, &y)
			return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line))
		})
		return nil, errors.Join(errs...)
	}
	return out, nil
}
