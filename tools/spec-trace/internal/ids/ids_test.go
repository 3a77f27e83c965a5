package ids_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/ids"
)

func TestExpand(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	cases := map[string]string{
		"OC-CORE-1001":               "OC-CORE-1001",
		"OC-CORE-1001..1003":         "OC-CORE-1001 OC-CORE-1002 OC-CORE-1003",
		"OC-CORE-1001..OC-CORE-1002": "OC-CORE-1001 OC-CORE-1002",
		"A-0098..0101":               "A-0098 A-0099 A-0100 A-0101",
		"X2-Y-7..7":                  "X2-Y-7",
	}
	for in, want := range cases {
		got, err := ids.Expand(in)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("Expand(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}

func TestExpandRejects(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	for _, in := range []string{"", "oc-core-1", "OC-CORE", "OC-CORE-5..3", "A-1..B-2", "A-1..", "A-1..x", "A-1..100000", "-1", "A-1..+5"} {
		if got, err := ids.Expand(in); err == nil {
			t.Errorf("Expand(%q) = %v, want an error", in, got)
		}
	}
}

func TestList(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	got, err := ids.List(" A-1, B-2..3;C-4 ")
	if err != nil || strings.Join(got, " ") != "A-1 B-2 B-3 C-4" {
		t.Errorf("List = %v, %v", got, err)
	}
	if _, err := ids.List(" , "); err == nil {
		t.Error("empty list accepted")
	}
}

func TestOrderIsNumeric(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	in := []string{"B-1", "A-10", "zzz", "A-9", "A-09", "AB-1"}
	slices.SortFunc(in, ids.Compare)
	want := "A-09 A-9 A-10 AB-1 B-1 zzz"
	if got := strings.Join(in, " "); got != want {
		t.Errorf("sorted = %s, want %s", got, want)
	}
}

func ExampleExpand() {
	got, _ := ids.Expand("OC-CORE-1001..1003")
	fmt.Println(got)
	// Output: [OC-CORE-1001 OC-CORE-1002 OC-CORE-1003]
}
