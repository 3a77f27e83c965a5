package reqid_test

import (
	"fmt"
	"slices"
	"testing"

	"orchcore.dev/test-harness/bdd/internal/reqid"
)

func TestDefined(t *testing.T) {
	spec := "# Title\n\n" +
		"- [OC-CORE-1002] MUST — B. Text mentioning [OC-CORE-1099] in prose.\n" +
		"- [OC-CORE-1001] MUST — A. Text.\n" +
		"Prose naming [OC-CORE-1098] is not a definition.\n" +
		"* [OC-TEST-7001..7003] MUST — Range. Text.\n" +
		"- [OC-CORE-1001] MUST — duplicate.\n"
	got, err := reqid.Defined(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"OC-CORE-1001", "OC-CORE-1002", "OC-TEST-7001", "OC-TEST-7002", "OC-TEST-7003"}
	if !slices.Equal(got, want) {
		t.Fatalf("Defined = %v, want %v", got, want)
	}
}

func TestDefinedBadRange(t *testing.T) {
	if _, err := reqid.Defined("- [OC-CORE-1005..1001] MUST — Reversed."); err == nil {
		t.Fatal("a reversed range must be an error")
	}
}

func TestFromTag(t *testing.T) {
	cases := []struct {
		tag  string
		ids  []string
		isID bool
		bad  bool
	}{
		{tag: "@OC-CORE-1002", ids: []string{"OC-CORE-1002"}, isID: true},
		{tag: "@OC-CORE-1001..1003", ids: []string{"OC-CORE-1001", "OC-CORE-1002", "OC-CORE-1003"}, isID: true},
		{tag: "@OC-CORE-1003..1001", isID: true, bad: true},
		{tag: "@mutant-target"},
		{tag: "@scheduling"},
		{tag: "@OC-CORE-1002x"},
	}
	for _, c := range cases {
		ids, ok, err := reqid.FromTag(c.tag)
		if ok != c.isID || (err != nil) != c.bad || !slices.Equal(ids, c.ids) && !c.bad {
			t.Errorf("FromTag(%q) = %v, %v, %v; want %v, %v, bad=%v", c.tag, ids, ok, err, c.ids, c.isID, c.bad)
		}
	}
}

func TestMissing(t *testing.T) {
	got := reqid.Missing([]string{"B", "A", "C"}, []string{"C"})
	if !slices.Equal(got, []string{"A", "B"}) {
		t.Fatalf("Missing = %v", got)
	}
}

func ExampleFromTag() {
	ids, _, _ := reqid.FromTag("@OC-CORE-1030..1032")
	fmt.Println(ids)
	// Output: [OC-CORE-1030 OC-CORE-1031 OC-CORE-1032]
}
