package corpus_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/corpus"
)

// The pinned digests of the shipped corpus. Editing data/ must come with an
// edit here, in the same change, so a corpus change is never silent.
const (
	seedsSHA256   = "fb102f6244ca13ac8a13f153f20e91f65ea0f086795f35776b328c537f61f0b7"
	promptsSHA256 = "5782946d36183e6479f61abf98b4467b0030f45a687a4c1043194f461eed36ec"
)

func TestDefaultCorpusIsPinned(t *testing.T) {
	t.Attr("req", "OC-TEST-7003")
	s := corpus.DefaultSeeds()
	if s.SHA256 != seedsSHA256 {
		t.Errorf("seeds digest = %s, pinned %s", s.SHA256, seedsSHA256)
	}
	if len(s.Values) < 64 {
		t.Errorf("seed corpus has %d seeds, want at least 64", len(s.Values))
	}
	p := corpus.DefaultPrompts()
	if p.SHA256 != promptsSHA256 {
		t.Errorf("prompts digest = %s, pinned %s", p.SHA256, promptsSHA256)
	}
	if len(p.Items) < 2 {
		t.Errorf("prompt corpus has %d prompts, want at least 2", len(p.Items))
	}
}

func TestShippedFilesMatchPinnedDigest(t *testing.T) {
	t.Attr("req", "OC-TEST-7003")
	// Read the files from disk, independent of the embed, and hash them with
	// a fresh sha256 so the digest function itself is checked too.
	for name, want := range map[string]string{
		"data/seeds.txt":     seedsSHA256,
		"data/prompts.jsonl": promptsSHA256,
	} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256Hex(b); got != want {
			t.Errorf("%s: sha256 %s, pinned %s", name, got, want)
		}
	}
}

func TestDigestCatchesOneByteEdit(t *testing.T) {
	t.Attr("req", "OC-TEST-7003")
	b, err := os.ReadFile("data/seeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "\n42\n", "\n43\n", 1)
	if edited == string(b) {
		t.Fatal("fixture: seed 42 not found in corpus")
	}
	s, err := corpus.ParseSeeds("edited", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if s.SHA256 == seedsSHA256 {
		t.Fatal("an edited corpus kept the pinned digest")
	}
}

func TestSeedsKnownValues(t *testing.T) {
	s := corpus.DefaultSeeds()
	want := []uint64{0, 1, 2, 3, 7, 42, 1234, 65535, 65536, 2147483647}
	for i, v := range want {
		if s.Values[i] != v {
			t.Fatalf("seed[%d] = %d, want %d", i, s.Values[i], v)
		}
	}
	for _, v := range s.Values {
		if v >= 1<<31 {
			t.Errorf("seed %d is not below 2^31", v)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, kind, in, want string
	}{
		{"not a number", "seeds", "1\nabc\n", "x:2: want an unsigned decimal seed"},
		{"negative", "seeds", "-1\n", "x:1:"},
		{"duplicate seed", "seeds", "5\n# c\n5\n", "x:3: seed 5 repeats line 1"},
		{"empty seeds", "seeds", "# only a comment\n", "x: no seeds"},
		{"bad json", "prompts", "{\"id\":\"a\"\n", "x:1:"},
		{"unknown field", "prompts", `{"id":"a","text":"b","x":1}`, "x:1:"},
		{"missing text", "prompts", `{"id":"a"}`, "x:1: prompt needs"},
		{"duplicate id", "prompts", "{\"id\":\"a\",\"text\":\"b\"}\n{\"id\":\"a\",\"text\":\"c\"}", `x:2: prompt id "a" repeats line 1`},
		{"empty prompts", "prompts", "\n\n", "x: no prompts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.kind == "seeds" {
				_, err = corpus.ParseSeeds("x", []byte(c.in))
			} else {
				_, err = corpus.ParsePrompts("x", []byte(c.in))
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.jsonl")
	body := "# two prompts\n{\"id\":\"a\",\"text\":\"Hello\"}\n\n{\"id\":\"b\",\"text\":\"World\"}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := corpus.LoadPrompts(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0] != (corpus.Prompt{ID: "a", Text: "Hello"}) || p.Items[1].ID != "b" {
		t.Fatalf("items = %+v", p.Items)
	}
	if p.SHA256 != sha256Hex([]byte(body)) {
		t.Fatalf("digest %s does not match the file", p.SHA256)
	}
	if _, err := corpus.LoadSeeds(filepath.Join(dir, "missing.txt")); err == nil {
		t.Fatal("missing file: want error")
	}
}
