package waiver_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/waiver"
	"orchcore.dev/tools/spec-trace/internal/yamlx"
)

const src = `waivers:
  - id: A-1
    reason: needs the chaos runner
    owner: ana
    expires: 2026-12-31
  - id: A-2
    reason: flaky upstream
    owner: bo
    expires: 2026-06-30
  - id: A-3
    reason: done already
    owner: cy
    expires: 2027-01-01
  - id: Z-9
    reason: typo
    owner: dee
    expires: 2027-01-01
`

func day(s string) time.Time {
	d, err := time.Parse(waiver.Date, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWaivers(t *testing.T) {
	t.Attr("req", "OC-TRACE-9010")
	s, err := waiver.Parse("w.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	passed := []model.Test{{Name: "T", Kind: model.KindGo, Status: model.Passed, Reqs: []string{"A-3"}}}
	reqs := []model.Requirement{{ID: "A-1", Level: model.Must}, {ID: "A-2", Level: model.Must}, {ID: "A-3", Level: model.Must}}
	rep := model.Build(reqs, passed, nil)
	s.Apply(&rep, day("2026-12-31")) // the last day A-1 holds
	got := map[string]string{}
	for _, q := range rep.Requirements {
		got[q.ID] = q.Status
	}
	if got["A-1"] != model.Waived || got["A-2"] != model.Unproven || got["A-3"] != model.Proven {
		t.Errorf("statuses %v; want A-1 waived, A-2 unproven (expired), A-3 proven", got)
	}
	if q := rep.Requirements[0]; q.Was != model.Unproven || q.Waiver == nil || q.Waiver.Owner != "ana" || q.Waiver.Expires != "2026-12-31" || q.Waiver.Line != 2 {
		t.Errorf("A-1: was %q waiver %+v", q.Was, q.Waiver)
	}
	gates := strings.Join(rep.Gates, "\n")
	for _, want := range []string{
		"waiver for MUST A-2 (w.yaml:6, owner bo) expired on 2026-06-30; A-2 is unproven",
		"waiver for Z-9 (w.yaml:14, owner dee) names an ID that no spec defines",
	} {
		if !strings.Contains(gates, want) {
			t.Errorf("gates lack %q:\n%s", want, gates)
		}
	}
	if len(rep.Gates) != 2 {
		t.Errorf("%d gate findings, want 2: %q", len(rep.Gates), rep.Gates)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "waiver for A-3 (w.yaml:10) is no longer needed") {
		t.Errorf("notes %q", rep.Notes)
	}
	// The day after its expiry A-1 is unproven again and fails the gate.
	rep = model.Build(reqs, passed, nil)
	s.Apply(&rep, day("2027-01-01"))
	if rep.Requirements[0].Status != model.Unproven || !strings.Contains(strings.Join(rep.Gates, "\n"), "A-1 (w.yaml:2, owner ana) expired on 2026-12-31") {
		t.Errorf("after expiry: %s, gates %q", rep.Requirements[0].Status, rep.Gates)
	}
}

func TestWaiverErrorsAreLocated(t *testing.T) {
	t.Attr("req", "OC-TRACE-9010")
	full := "    reason: r\n    owner: o\n    expires: 2026-01-02\n"
	for _, c := range []struct{ src, want string }{
		{"waivers:\n  - id: A-1\n" + strings.Replace(full, "2026-01-02", "31/12/2026", 1), `w.yaml:5:14: expiry date "31/12/2026" does not parse; want YYYY-MM-DD`},
		{"waivers:\n  - id: A-1\n" + strings.Replace(full, "2026-01-02", "2026-02-30", 1), `w.yaml:5:14: expiry date "2026-02-30" does not parse`},
		{"waivers:\n  - id: A-1\n    reason: r\n    expires: 2026-01-02\n", `w.yaml:2:5: a waiver without owner; want who answers for it`},
		{"waivers:\n  - id: A-1\n    reason: r\n    owner: o\n", `w.yaml:2:5: a waiver without expires`},
		{"waivers:\n  - id: A-1\n" + full + "    note: x\n", `w.yaml:6:5: unknown key "note" in a waiver; want one of id, reason, owner, expires`},
		{"waivers:\n  - id: A-1\n" + full + "  - id: A-1\n" + full, `w.yaml:6:5: a second waiver for A-1 (first at line 2)`},
		{"waivers:\n  - id: lower case\n" + full, `w.yaml:2:9: "lower case" is not a requirement ID`},
		{"waivers:\n  - id: A-1\n    reason: \"\"\n    owner: o\n    expires: 2026-01-02\n", `w.yaml:3:13: empty text; want why the requirement may stay unproven`},
		{"waiver:\n  - id: A-1\n", `w.yaml:1:1: unknown key "waiver" in the waiver file; want one of waivers`},
		{"waivers: {id: A-1}\n", `w.yaml:1:10: a mapping; want waivers (a list)`},
	} {
		_, err := waiver.Parse("w.yaml", []byte(c.src))
		var ye *yamlx.Error
		if err == nil || !errors.As(err, &ye) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n error %v\n want %q", c.src, err, c.want)
		}
	}
	for _, ok := range []string{"", "\n", "# none\n", "waivers:\n", "waivers: []\n"} {
		if s, err := waiver.Parse("w.yaml", []byte(ok)); err != nil || len(s.Waivers) != 0 {
			t.Errorf("%q: %v; want no waivers", ok, err)
		}
	}
}

func FuzzWaivers(f *testing.F) {
	f.Add([]byte(src))
	f.Add([]byte("waivers: [{id: A-1, reason: r, owner: o, expires: 2026-01-02}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := waiver.Parse("f.yaml", data)
		if err != nil {
			var ye *yamlx.Error
			if !errors.As(err, &ye) || ye.Line < 1 || ye.Col < 1 || ye.Msg == "" {
				t.Fatalf("error without a place: %#v", err)
			}
			return
		}
		for _, w := range s.Waivers {
			if w.ID == "" || w.Reason == "" || w.Owner == "" || w.Expires.IsZero() {
				t.Fatalf("incomplete waiver accepted: %+v", w)
			}
		}
	})
}
