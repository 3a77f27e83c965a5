package featuretags

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"orchcore.dev/test-harness/bdd/internal/reqid"
)

// Scenarios maps each requirement ID to the scenarios tagged with it
// ("file.feature: Scenario name"). The key "" lists the scenarios that
// carry no requirement tag.
type Scenarios map[string][]string

// IDs returns the IDs in s, sorted.
func (s Scenarios) IDs() []string {
	var out []string
	for id := range s {
		if id != "" {
			out = append(out, id)
		}
	}
	return reqid.Missing(out, nil)
}

// Read parses every *.feature file under root in fsys.
func Read(fsys fs.FS, root string) (Scenarios, error) {
	out := Scenarios{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".feature" {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return add(out, p, src)
	})
	return out, err
}

func add(out Scenarios, name string, src []byte) error {
	n := 0
	ids := func() string { n++; return strconv.Itoa(n) }
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(src), ids)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if doc.Feature == nil {
		return nil
	}
	for _, p := range gherkin.Pickles(*doc, name, ids) {
		if err := addPickle(out, name, p); err != nil {
			return err
		}
	}
	return nil
}

func addPickle(out Scenarios, name string, p *messages.Pickle) error {
	label := name + ": " + p.Name
	tagged := false
	for _, t := range p.Tags {
		got, ok, err := reqid.FromTag(t.Name)
		if err != nil {
			return fmt.Errorf("%s: tag %s: %w", label, t.Name, err)
		}
		if !ok {
			continue
		}
		tagged = true
		for _, id := range got {
			if l := out[id]; len(l) == 0 || l[len(l)-1] != label {
				out[id] = append(l, label)
			}
		}
	}
	if !tagged {
		out[""] = append(out[""], label)
	}
	return nil
}
