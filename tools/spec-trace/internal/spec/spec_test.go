package spec_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/golden"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/spec"
)

func parse(files ...string) ([]model.Requirement, error) {
	var p spec.Parser
	for i, f := range files {
		if err := p.Add(fmt.Sprintf("f%d.md", i+1), strings.NewReader(f)); err != nil {
			return nil, err
		}
	}
	return p.Result()
}

func TestLineStyles(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	src := `# Title
- [OC-CORE-1001] MUST — Short title. Full sentence here.
* **[OC-CORE-1002]** (SHOULD) Bold style. More.
1. [OC-CORE-1003] MAY: Numbered list
[OC-CORE-1004] The engine MUST NOT drop tasks. Ever.
> [OC-CORE-1005] RECOMMENDED — Quoted.
| [OC-CORE-1006] | SHALL | Table title |
- [OC-CORE-1007] OPTIONAL — Title with a version 1.2 inside. Body.
## [OC-CORE-1008] REQUIRED — Heading style
- [OC-CORE-1009] NOT RECOMMENDED — Discouraged thing.
- [x] [OC-CORE-1010] MUST: Task list item. Done.
`
	got, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, level, title string }{
		{"OC-CORE-1001", "MUST", "Short title"},
		{"OC-CORE-1002", "SHOULD", "Bold style"},
		{"OC-CORE-1003", "MAY", "Numbered list"},
		{"OC-CORE-1004", "MUST", "The engine MUST NOT drop tasks"},
		{"OC-CORE-1005", "SHOULD", "Quoted"},
		{"OC-CORE-1006", "MUST", "Table title"},
		{"OC-CORE-1007", "MAY", "Title with a version 1.2 inside"},
		{"OC-CORE-1008", "MUST", "Heading style"},
		{"OC-CORE-1009", "SHOULD", "Discouraged thing"},
		{"OC-CORE-1010", "MUST", "Task list item"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d requirements, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id || g.Level != w.level || g.Title != w.title || g.File != "f1.md" || g.Line != i+2 {
			t.Errorf("got %s %s %q %s:%d, want %s %s %q f1.md:%d", g.ID, g.Level, g.Title, g.File, g.Line, w.id, w.level, w.title, i+2)
		}
	}
}

func TestRangeDefinesAll(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	got, err := parse("- [X-0098..0100] SHOULD — Three at once. Body.\n")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
		if r.Level != model.Should || r.Title != "Three at once" || r.Line != 1 {
			t.Errorf("%+v", r)
		}
	}
	if strings.Join(ids, " ") != "X-0098 X-0099 X-0100" {
		t.Errorf("ids = %v", ids)
	}
}

func TestFencesAndMentionsAreSkipped(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	src := "- [A-1] MUST — Real.\n```md\n- [A-2] MUST — Fenced.\n```\nSee [A-1] for more.\n[A-1] is mentioned again\n~~~\n[A-3] MUST x\n~~~\n"
	got, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "A-1" {
		t.Errorf("got %+v, want only A-1", got)
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	_, err := parse("intro\n- [A-1] MUST — One.\n- [A-2] No level here.\n", "\n- [A-1] SHOULD — Again.\n- [A-5..2] MUST — Backwards.\n")
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{"f1.md:3:", "f2.md:2:", "f2.md:3:"}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q lacks %q", msg, w)
		}
	}
	if !strings.Contains(msg, "first defined at f1.md:2") {
		t.Errorf("duplicate error does not name the first definition: %q", msg)
	}
	var e *spec.Error
	if !errors.As(err, &e) || e.File != "f1.md" || e.Line != 3 {
		t.Errorf("first error = %+v, want f1.md:3", e)
	}
}

func TestLoadNeedsSpecsDir(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	if _, err := spec.Load(t.TempDir()); err == nil {
		t.Error("a root without .specs was accepted")
	}
}

func TestLoadFixture(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	got, err := spec.Load("../../testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 26 {
		t.Errorf("got %d requirements, want 26", len(got))
	}
	for _, r := range got {
		if r.File != ".specs/demo.md" || r.Line == 0 {
			t.Errorf("%s at %s:%d", r.ID, r.File, r.Line)
		}
	}
}

func TestGoldenFixture(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	got, err := spec.Load("../../testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range got {
		fmt.Fprintf(&b, "%s\t%s\t%s:%d\t%s\n", r.ID, r.Level, r.File, r.Line, r.Title)
	}
	golden.Check(t, "testdata/fixture.golden", []byte(b.String()))
}

func FuzzParse(f *testing.F) {
	f.Add("- [OC-CORE-1001] MUST — Short title. Body.\n")
	f.Add("| [A-1..3] | SHOULD | t |\n```\n[B-1] MUST\n```\n[A-2] mention\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parse(s)
		if err != nil {
			var e *spec.Error
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("error without a place: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range got {
			if seen[r.ID] {
				t.Fatalf("duplicate %s accepted", r.ID)
			}
			seen[r.ID] = true
			if r.Level != model.Must && r.Level != model.Should && r.Level != model.May {
				t.Fatalf("%s has level %q", r.ID, r.Level)
			}
			if r.Line < 1 || strings.Count(s, "\n")+1 < r.Line {
				t.Fatalf("%s at line %d", r.ID, r.Line)
			}
		}
	})
}

func ExampleParser() {
	var p spec.Parser
	_ = p.Add("10-core.md", strings.NewReader("- [OC-CORE-1001] MUST — Bounded queues. Each pool has one FIFO.\n"))
	reqs, _ := p.Result()
	for _, r := range reqs {
		fmt.Println(r.ID, r.Level, r.Title, r.File, r.Line)
	}
	// Output: OC-CORE-1001 MUST Bounded queues 10-core.md 1
}
