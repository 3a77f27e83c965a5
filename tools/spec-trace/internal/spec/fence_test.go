package spec_test

import (
	"errors"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/spec"
)

// A fence left open would hide every requirement after it; it is an error
// naming the line where the fence opened.
func TestUnclosedFenceIsAnError(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	src := "- [A-1] MUST — One.\n\n  ~~~~ text\n- [A-2] MUST — Hidden.\n~~~\n- [A-3] MUST — Hidden too.\n"
	_, err := parse(src)
	var e *spec.Error
	if !errors.As(err, &e) || e.File != "f1.md" || e.Line != 3 || !strings.Contains(e.Msg, "fence") {
		t.Fatalf("err = %v, want a fence error at f1.md:3", err)
	}
}

// CommonMark: a fence closes only with the same character, at least as
// many of them, and nothing but spaces after.
func TestFenceClosing(t *testing.T) {
	t.Attr("req", "OC-TRACE-9001")
	cases := map[string]struct {
		src  string
		want string // IDs read, in order
	}{
		"shorter does not close": {"````md\n```\n- [A-1] MUST — In.\n```\n````\n- [A-2] MUST — Out.\n", "A-2"},
		"longer closes":          {"```\n- [A-1] MUST — In.\n`````\n- [A-2] MUST — Out.\n", "A-2"},
		"other char":             {"```\n~~~\n- [A-1] MUST — In.\n```\n- [A-2] MUST — Out.\n", "A-2"},
		"info string":            {"```\n```go\n- [A-1] MUST — In.\n```\n- [A-2] MUST — Out.\n", "A-2"},
		"trailing spaces close":  {"~~~\n- [A-1] MUST — In.\n~~~   \n- [A-2] MUST — Out.\n", "A-2"},
		"indented 4 is no fence": {"    ```\n- [A-1] MUST — Out.\n", "A-1"},
		"backtick in info":       {"``` a`b\n- [A-1] MUST — Out.\n", "A-1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9001")
			got, err := parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if strings.Join(ids, " ") != c.want {
				t.Errorf("read %v, want %s", ids, c.want)
			}
		})
	}
}
