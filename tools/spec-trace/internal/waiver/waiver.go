package waiver

import (
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/yamlx"
)

// Date is the layout of expiry dates and of --today.
const Date = "2006-01-02"

// Waiver is one entry.
type Waiver struct {
	ID, Reason, Owner string
	Expires           time.Time
	Line              int
}

// Set is a parsed waiver file.
type Set struct {
	File    string
	Waivers []Waiver
}

// Load reads a waiver file.
func Load(path, name string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// Parse reads waiver text; name is used in errors.
func Parse(name string, data []byte) (*Set, error) {
	s := &Set{File: name}
	top, err := yamlx.Parse(name, data)
	if err != nil || top == nil {
		return s, err
	}
	keys, err := yamlx.Map(name, top, "the waiver file", "waivers")
	if err != nil {
		return nil, err
	}
	list, ok := keys["waivers"]
	if !ok {
		return s, nil
	}
	items, err := yamlx.List(name, list, "waivers")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, it := range items {
		w, err := entry(name, it)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[w.ID]; dup {
			return nil, yamlx.At(name, it, "a second waiver for %s (first at line %d); want one per ID", w.ID, first)
		}
		seen[w.ID] = w.Line
		s.Waivers = append(s.Waivers, w)
	}
	return s, nil
}

func entry(name string, n *yaml.Node) (Waiver, error) {
	m, err := yamlx.Map(name, n, "a waiver", "id", "reason", "owner", "expires")
	if err != nil {
		return Waiver{}, err
	}
	w := Waiver{Line: n.Line}
	for _, f := range []struct {
		key, what string
		dst       *string
	}{
		{"id", "the requirement ID it waives", &w.ID},
		{"reason", "why the requirement may stay unproven", &w.Reason},
		{"owner", "who answers for it", &w.Owner},
	} {
		v, ok := m[f.key]
		if !ok {
			return w, yamlx.At(name, n, "a waiver without %s; want %s (every waiver has id, reason, owner and expires)", f.key, f.what)
		}
		if *f.dst, err = yamlx.String(name, v, f.what); err != nil {
			return w, err
		}
	}
	if _, _, ok := ids.Split(w.ID); !ok {
		return w, yamlx.At(name, m["id"], "%q is not a requirement ID; want PREFIX-NNNN such as OC-CORE-1002", w.ID)
	}
	v, ok := m["expires"]
	if !ok {
		return w, yamlx.At(name, n, "a waiver without expires; want an expiry date YYYY-MM-DD (every waiver has id, reason, owner and expires)")
	}
	s, err := yamlx.String(name, v, "an expiry date YYYY-MM-DD")
	if err != nil {
		return w, err
	}
	if w.Expires, err = time.Parse(Date, s); err != nil {
		return w, yamlx.At(name, v, "expiry date %q does not parse; want YYYY-MM-DD such as 2026-12-31", s)
	}
	return w, nil
}

// Apply applies the waivers as of today (a date; the time of day is
// ignored).
func (s *Set) Apply(r *model.Report, today time.Time) {
	if s == nil {
		return
	}
	byID := make(map[string]int, len(r.Requirements))
	for i, q := range r.Requirements {
		byID[q.ID] = i
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, w := range s.Waivers {
		at := fmt.Sprintf("%s:%d", s.File, w.Line)
		i, ok := byID[w.ID]
		if !ok {
			r.Gates = append(r.Gates, fmt.Sprintf("waiver for %s (%s, owner %s) names an ID that no spec defines", w.ID, at, w.Owner))
			continue
		}
		q := &r.Requirements[i]
		mw := &model.Waiver{Reason: w.Reason, Owner: w.Owner, Expires: w.Expires.Format(Date), File: s.File, Line: w.Line}
		switch {
		case day.After(w.Expires):
			mw.Expired = true
			q.Waiver = mw
			r.Gates = append(r.Gates, fmt.Sprintf("waiver for %s %s (%s, owner %s) expired on %s; %s is %s", q.Level, w.ID, at, w.Owner, mw.Expires, w.ID, q.Status))
		case q.Status == model.Proven:
			q.Waiver = mw
			r.Notes = append(r.Notes, fmt.Sprintf("waiver for %s (%s) is no longer needed: %s is proven", w.ID, at, w.ID))
		default:
			q.Waiver = mw
			q.Was, q.Status = q.Status, model.Waived
		}
	}
}
