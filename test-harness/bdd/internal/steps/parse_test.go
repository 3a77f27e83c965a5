package steps

import (
	"slices"
	"testing"
)

func TestList(t *testing.T) {
	cases := map[string][]string{
		"t1, t2 and t3": {"t1", "t2", "t3"},
		"t1, t2, t3":    {"t1", "t2", "t3"},
		"t1":            {"t1"},
		"nothing":       nil,
		" ":             nil,
	}
	for in, want := range cases {
		if got := list(in); !slices.Equal(got, want) {
			t.Errorf("list(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInts(t *testing.T) {
	if got, err := ints("0,1, 3"); err != nil || !slices.Equal(got, []int{0, 1, 3}) {
		t.Errorf("ints = %v, %v", got, err)
	}
	if _, err := ints("0,x"); err == nil {
		t.Error("ints must refuse a non-number")
	}
}

func TestParseTask(t *testing.T) {
	got, err := parseTask("t1", "batch", " of tenant acme of session s1 with seed 7 with 10 prompt tokens and 1 max new token")
	if err != nil {
		t.Fatal(err)
	}
	if got.Tenant != "acme" || got.SessionID != "s1" || got.Seed != 7 || !got.HasSeed ||
		got.PromptTokens != 10 || got.MaxNewTokens != 1 || got.Model.ModelID != defaultModel {
		t.Errorf("parseTask = %+v", got)
	}
}
