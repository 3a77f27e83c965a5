package spec_test

import (
	"testing"

	"orchcore.dev/tools/spec-trace/internal/spec"
)

// The rule text is the rest of the line after the title plus the indented
// lines that continue the list item; a blank line or a new item ends it.
func TestRuleText(t *testing.T) {
	t.Attr("req", "OC-TRACE-9006")
	src := "- [A-1] MUST — Short title. The rule starts here\n" +
		"  and goes on on the next line,\n" +
		"\tand a tabbed one.\n" +
		"- [A-2] SHOULD — Title only\n" +
		"Not indented, so not part of A-2.\n" +
		"- [A-3..4] MAY — Ranged. Both get this text.\n" +
		"  Continued.\n" +
		"\n" +
		"  After a blank line: not continued.\n" +
		"| [A-5] | MUST | Table title. Not text. |\n"
	got, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"A-1": {"Short title", "The rule starts here and goes on on the next line, and a tabbed one."},
		"A-2": {"Title only", ""},
		"A-3": {"Ranged", "Both get this text. Continued."},
		"A-4": {"Ranged", "Both get this text. Continued."},
		"A-5": {"Table title", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d requirements, want %d: %+v", len(got), len(want), got)
	}
	for _, q := range got {
		w := want[q.ID]
		if q.Title != w[0] || q.Text != w[1] {
			t.Errorf("%s: title %q text %q, want %q and %q", q.ID, q.Title, q.Text, w[0], w[1])
		}
		if q.Hash != spec.Hash(q.Title, q.Text) || len(q.Hash) != 16 {
			t.Errorf("%s: hash %q", q.ID, q.Hash)
		}
	}
}

// The hash ignores how the rule is wrapped but not what it says.
func TestHashIsOfNormalizedContent(t *testing.T) {
	t.Attr("req", "OC-TRACE-9006")
	a, err := parse("- [A-1] MUST — T. One two three.\n")
	if err != nil {
		t.Fatal(err)
	}
	b, err := parse("- [A-1]   MUST — T.   One two\n    three.\n")
	if err != nil {
		t.Fatal(err)
	}
	c, err := parse("- [A-1] MUST — T. One two four.\n")
	if err != nil {
		t.Fatal(err)
	}
	d, err := parse("- [A-1] MUST — U. One two three.\n")
	if err != nil {
		t.Fatal(err)
	}
	if a[0].Hash != b[0].Hash {
		t.Errorf("rewrapping changed the hash: %s vs %s (%q vs %q)", a[0].Hash, b[0].Hash, a[0].Text, b[0].Text)
	}
	if a[0].Hash == c[0].Hash || a[0].Hash == d[0].Hash {
		t.Error("a changed text or title kept the hash")
	}
	// Fixed value, computed outside Go with sha256sum over "T\nOne two three.".
	if a[0].Hash != "a5b8e9717d62e1d6" {
		t.Errorf("hash = %s", a[0].Hash)
	}
}
