package repo

import (
	"bufio"
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
	dir, ok := r.Dir(pkg)
	if !ok {
		return "", 0
	}
	funcs, ok := r.funcs[dir]
	if !ok {
		funcs = index(r.root, dir)
		r.funcs[dir] = funcs
	}
	top, _, _ := strings.Cut(test, "/")
	p := funcs[top]
	return p.file, p.line
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
	for n := 1; sc.Scan(); n++ {
		if m := testFunc.FindSubmatch(sc.Bytes()); m != nil {
			if _, dup := out[string(m[1])]; !dup {
				out[string(m[1])] = pos{rel, n}
			}
		}
	}
}
