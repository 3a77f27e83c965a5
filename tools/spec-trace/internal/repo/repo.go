package repo

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
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
	hash string // of the function's source, from func to the closing brace
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

var testFunc = regexp.MustCompile(`^func\s+((?:Test|Example|Fuzz|Benchmark)\w*)\s*\(`)

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

func scanFile(file, rel string, out map[string]pos) {
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var h hash.Hash
	name := ""
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if m := testFunc.FindSubmatch(line); m != nil {
			name = ""
			if _, dup := out[string(m[1])]; !dup {
				name = string(m[1])
				out[name] = pos{file: rel, line: n}
				h = sha256.New()
			}
		}
		if name == "" {
			continue
		}
		h.Write(bytes.TrimRight(line, " \t\r"))
		h.Write([]byte{'\n'})
		if len(line) > 0 && line[0] == '}' {
			p := out[name]
			p.hash = hex.EncodeToString(h.Sum(nil)[:8])
			out[name] = p
			name = ""
		}
	}
}
