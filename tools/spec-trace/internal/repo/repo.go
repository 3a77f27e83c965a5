package repo

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Repo is a scanned repository tree.
type Repo struct {
	root     string
	features []string
	modules  map[string]string // module path -> slash dir relative to root
	funcs    map[string]map[string]pos
}

type pos struct {
	file string
	line int
	hash string // of the function's source, from its func line to its closing brace's
}

// Scan walks root.
func Scan(root string) (*Repo, error) {
	r := &Repo{root: root, modules: map[string]string{}, funcs: map[string]map[string]pos{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(d.Name(), ".feature"):
			r.features = append(r.features, rel)
		case d.Name() == "go.mod":
			if mod := modulePath(p); mod != "" {
				r.modules[mod] = path.Dir(rel)
			}
		}
		return nil
	})
	return r, err
}

func skipDir(name string) bool {
	switch name {
	case "testdata", "vendor", "node_modules":
		return true
	case ".specs":
		return false
	}
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func modulePath(file string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(l, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// Features lists the .feature files, relative to the root, slash-separated.
func (r *Repo) Features() []string { return r.features }

// Root is the directory that was scanned.
func (r *Repo) Root() string { return r.root }

// Dir maps an import path to its directory relative to the root.
func (r *Repo) Dir(pkg string) (string, bool) {
	best, dir := "", ""
	for mod, d := range r.modules {
		if (pkg == mod || strings.HasPrefix(pkg, mod+"/")) && len(mod) > len(best) {
			best, dir = mod, d
		}
	}
	if best == "" {
		return "", false
	}
	return path.Clean(path.Join(dir, strings.TrimPrefix(pkg, best))), true
}

var testName = regexp.MustCompile(`^(?:Test|Example|Fuzz|Benchmark)`)

// Locate returns the file (relative to the root) and line of a Go test.
func (r *Repo) Locate(pkg, test string) (string, int) {
	p := r.find(pkg, test)
	return p.file, p.line
}

// Where returns Locate's file and line and Source's hash in one look-up.
func (r *Repo) Where(pkg, test string) (string, int, string) {
	p := r.find(pkg, test)
	return p.file, p.line, p.hash
}

// Source returns the hash of a Go test function's source (for a subtest,
// its top-level function), or "" when it is not found.
func (r *Repo) Source(pkg, test string) string { return r.find(pkg, test).hash }

func (r *Repo) find(pkg, test string) pos {
	dir, ok := r.Dir(pkg)
	if !ok {
		return pos{}
	}
	funcs, ok := r.funcs[dir]
	if !ok {
		funcs = index(r.root, dir)
		r.funcs[dir] = funcs
	}
	top, _, _ := strings.Cut(test, "/")
	return funcs[top]
}

func index(root, dir string) map[string]pos {
	out := map[string]pos{}
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return out
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), "_test.go") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for _, n := range names {
		scanFile(filepath.Join(root, filepath.FromSlash(dir), n), path.Join(dir, n), out)
	}
	return out
}

// scanFile parses a test file and records, for each top-level test
// function not seen before, its line and the hash of its source: the
// lines from the one holding func to the one holding the closing brace,
// each without trailing white space. The bounds come from go/parser, so a
// one-line function, or one whose closing brace is indented, has its own
// hash. A file that does not parse keeps the functions parsed before the
// error.
func scanFile(file, rel string, out map[string]pos) {
	src, err := os.ReadFile(file)
	if err != nil {
		return
	}
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if f == nil {
		return
	}
	tf := fset.File(f.Pos())
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Body == nil || !testName.MatchString(fn.Name.Name) {
			continue
		}
		if _, dup := out[fn.Name.Name]; dup {
			continue
		}
		line := tf.Line(fn.Pos())
		start := tf.Offset(tf.LineStart(line))
		end := tf.Offset(fn.End())
		if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 {
			end += nl
		} else {
			end = len(src)
		}
		out[fn.Name.Name] = pos{file: rel, line: line, hash: sourceHash(src[start:end])}
	}
}

// sourceHash hashes lines with trailing white space removed, each ended
// by a newline.
func sourceHash(src []byte) string {
	h := sha256.New()
	for l := range bytes.Lines(src) {
		h.Write(bytes.TrimRight(l, " \t\r\n"))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
