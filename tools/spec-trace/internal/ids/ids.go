package ids

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MaxRange bounds how many IDs one range may expand to.
const MaxRange = 10000

// Pattern matches one ID, optionally followed by a range end; it has no
// anchors so that callers can embed it.
const Pattern = `[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+(?:\.\.(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-)?[0-9]+)?`

var (
	single = regexp.MustCompile(`^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)-([0-9]+)$`)
	whole  = regexp.MustCompile(`^` + Pattern + `$`)
)

// Valid reports whether s is one ID or one range.
func Valid(s string) bool { return whole.MatchString(s) }

// Split returns the prefix (the area) and the number of a single ID.
func Split(id string) (prefix string, num int, ok bool) {
	m := single.FindStringSubmatch(id)
	if m == nil || len(m[2]) > 9 {
		return "", 0, false
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	return m[1], n, true
}

// Area is the prefix of id (OC-CORE for OC-CORE-1001), or id itself when it
// is not a well-formed ID.
func Area(id string) string {
	if p, _, ok := Split(id); ok {
		return p
	}
	return id
}

// Expand turns one ID or range into the list of IDs it names.
func Expand(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	lo, hi, isRange := strings.Cut(s, "..")
	first := single.FindStringSubmatch(lo)
	if first == nil || len(first[2]) > 9 {
		return nil, fmt.Errorf("%q is not a requirement ID (want PREFIX-NNNN)", s)
	}
	if !isRange {
		return []string{lo}, nil
	}
	prefix, digits := first[1], first[2]
	end := hi
	if m := single.FindStringSubmatch(hi); m != nil {
		if m[1] != prefix {
			return nil, fmt.Errorf("range %q mixes prefixes %s and %s", s, prefix, m[1])
		}
		end = m[2]
	}
	a, _ := strconv.Atoi(digits)
	b, err := strconv.Atoi(end)
	if err != nil || len(end) > 9 || strings.ContainsAny(end, "+-") {
		return nil, fmt.Errorf("range %q has no valid end number", s)
	}
	if b < a {
		return nil, fmt.Errorf("range %q ends before it starts", s)
	}
	if b-a+1 > MaxRange {
		return nil, fmt.Errorf("range %q names %d IDs, more than %d", s, b-a+1, MaxRange)
	}
	out := make([]string, 0, b-a+1)
	for n := a; n <= b; n++ {
		out = append(out, fmt.Sprintf("%s-%0*d", prefix, len(digits), n))
	}
	return out, nil
}

// List expands a value that may hold several IDs or ranges separated by
// commas or white space, as in t.Attr("req", "A-1, A-2..4").
func List(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == ';'
	}) {
		got, err := Expand(f)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty requirement reference")
	}
	return out, nil
}

// Less orders IDs by prefix, then numerically; malformed IDs sort after
// well-formed ones, by plain string order.
func Less(a, b string) bool { return Compare(a, b) < 0 }

// Compare is the three-way form of Less.
func Compare(a, b string) int {
	pa, na, oka := Split(a)
	pb, nb, okb := Split(b)
	switch {
	case oka && okb:
		if c := strings.Compare(pa, pb); c != 0 {
			return c
		}
		if na != nb {
			if na < nb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}
