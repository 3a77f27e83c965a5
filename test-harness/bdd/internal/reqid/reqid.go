package reqid

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// one ID, or a range of them: OC-CORE-1001 or OC-CORE-1001..1005.
const idPattern = `([A-Z]+(?:-[A-Z]+)*)-(\d+)(?:\.\.(\d+))?`

var (
	specLine = regexp.MustCompile(`^\s*[-*]\s+\[` + idPattern + `\]`)
	tagWhole = regexp.MustCompile(`^@?` + idPattern + `$`)
)

// Defined returns the IDs that the spec text defines, one per list item of
// the form "- [ID] LEVEL — Title. ...", ranges expanded.
func Defined(spec string) ([]string, error) {
	var ids []string
	for n, line := range strings.Split(spec, "\n") {
		m := specLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		got, err := expand(m[1], m[2], m[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		ids = append(ids, got...)
	}
	return tidy(ids), nil
}

// FromTag returns the IDs a tag names ("@OC-CORE-1002" or
// "@OC-CORE-1001..1003"), or ok=false when the tag is not an ID tag
// (@mutant-target, @scheduling).
func FromTag(tag string) (ids []string, ok bool, err error) {
	m := tagWhole.FindStringSubmatch(tag)
	if m == nil {
		return nil, false, nil
	}
	ids, err = expand(m[1], m[2], m[3])
	return ids, true, err
}

// HasPrefix reports whether id belongs to the family prefix ("OC-CORE").
func HasPrefix(id, prefix string) bool {
	return strings.HasPrefix(id, prefix+"-")
}

func expand(prefix, from, to string) ([]string, error) {
	if to == "" {
		return []string{prefix + "-" + from}, nil
	}
	lo, _ := strconv.Atoi(from)
	hi, _ := strconv.Atoi(to)
	if len(from) != len(to) || hi < lo {
		return nil, fmt.Errorf("bad range %s-%s..%s", prefix, from, to)
	}
	out := make([]string, 0, hi-lo+1)
	for n := lo; n <= hi; n++ {
		out = append(out, fmt.Sprintf("%s-%0*d", prefix, len(from), n))
	}
	return out, nil
}

func tidy(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Missing returns the members of want that are not in have, sorted.
func Missing(want, have []string) []string {
	var out []string
	for _, id := range want {
		if !slices.Contains(have, id) {
			out = append(out, id)
		}
	}
	return tidy(out)
}
