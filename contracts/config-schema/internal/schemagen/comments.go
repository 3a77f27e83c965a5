package schemagen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// comments reads the doc comments of the exported types and struct fields
// in dir (tests excluded), keyed "Type" and "Type.Field".
func comments(dir string) (map[string]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				typeDocs(out, gd, sp.(*ast.TypeSpec))
			}
		}
	}
	return out, nil
}

func typeDocs(out map[string]string, gd *ast.GenDecl, ts *ast.TypeSpec) {
	if !ts.Name.IsExported() {
		return
	}
	doc := ts.Doc
	if doc == nil && len(gd.Specs) == 1 {
		doc = gd.Doc
	}
	if txt := flat(doc); txt != "" {
		out[ts.Name.Name] = txt
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return
	}
	for _, f := range st.Fields.List {
		txt := flat(f.Doc)
		if txt == "" {
			txt = flat(f.Comment)
		}
		for _, n := range f.Names {
			if n.IsExported() && txt != "" {
				out[ts.Name.Name+"."+n.Name] = txt
			}
		}
	}
}

// flat joins a comment's lines with single spaces.
func flat(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.Join(strings.Fields(g.Text()), " ")
}
