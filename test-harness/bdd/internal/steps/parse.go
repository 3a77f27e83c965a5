package steps

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
)

// list splits "a, b and c" or "a, b, c" into its items; "nothing" is empty.
func list(s string) []string {
	s = strings.TrimSpace(s)
	if s == "nothing" || s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, " and ", ", ")
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ints parses "0,1" into []int.
func ints(s string) ([]int, error) {
	var out []int
	for _, f := range list(s) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("not a number: %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// rows turns a table with a header row into one map per row.
func rows(t *godog.Table) []map[string]string {
	if t == nil || len(t.Rows) == 0 {
		return nil
	}
	head := t.Rows[0].Cells
	var out []map[string]string
	for _, r := range t.Rows[1:] {
		m := make(map[string]string, len(head))
		for i, c := range r.Cells {
			m[head[i].Value] = strings.TrimSpace(c.Value)
		}
		out = append(out, m)
	}
	return out
}

// yes parses yes/no/true/false.
func yes(s string) (bool, error) {
	switch s {
	case "yes", "true":
		return true, nil
	case "no", "false":
		return false, nil
	}
	return false, fmt.Errorf("not yes or no: %q", s)
}
