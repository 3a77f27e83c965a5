package model_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"slices"
	"testing"

	"orchcore.dev/test-harness/refengine/model"
)

// committedDigest is the sha256 of refmodel.bin as committed. Changing the
// model must change this constant on purpose.
const committedDigest = "443c0cf6cbb035203a4ec60ed0269ebbd812a22376d888f6a17e5963f448548c"

func TestCommittedDigest(t *testing.T) {
	file, err := os.ReadFile("refmodel.bin")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(file)
	if got := hex.EncodeToString(sum[:]); got != committedDigest {
		t.Errorf("refmodel.bin sha256 = %s, want %s", got, committedDigest)
	}
	if got := model.Default().Digest(); got != committedDigest {
		t.Errorf("Default().Digest() = %s, want %s", got, committedDigest)
	}
	if len(file) > 2<<20 {
		t.Errorf("model file is %d bytes, over 2 MiB", len(file))
	}
}

func TestBuildReproducesCommittedFile(t *testing.T) {
	corpus, err := os.ReadFile("corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(model.Build(corpus), model.File()) {
		t.Error("Build(corpus.txt) differs from refmodel.bin; run go generate ./model")
	}
	if bytes.Equal(model.Build(append(corpus, "zebra"...)), model.File()) {
		t.Error("a different corpus built the same model")
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	good := model.File()
	for name, f := range map[string][]byte{
		"empty":     nil,
		"bad magic": append([]byte("XXXX"), good[4:]...),
		"truncated": good[:len(good)-4],
		"bad dims":  append(append(good[:4:4], 1, 0, 0, 0), good[8:]...),
	} {
		if _, err := model.Load(f); err == nil {
			t.Errorf("%s: Load accepted it", name)
		}
	}
	m, err := model.Load(good)
	if err != nil || m.Digest() != committedDigest {
		t.Errorf("Load(good) = %v, %v", m, err)
	}
}

func TestLogitsAreExactPerSplitAndDifferAcrossSplits(t *testing.T) {
	m := model.Default()
	ctx := model.Context{Prev: 5, Prev2: 70}
	ref := make([]float32, model.VocabSize)
	m.Logits(ctx, 4, ref)
	again := make([]float32, model.VocabSize)
	m.Logits(ctx, 4, again)
	if !slices.Equal(ref, again) {
		t.Error("same context and split gave different logits")
	}
	for _, s := range model.Splits {
		if s == 4 {
			continue
		}
		other := make([]float32, model.VocabSize)
		m.Logits(ctx, s, other)
		if slices.Equal(ref, other) {
			t.Errorf("splits 4 and %d gave identical logits; batching would be invisible", s)
		}
		for v := range other {
			if d := other[v] - ref[v]; d > 0.5 || d < -0.5 {
				t.Errorf("split %d moved logit %d by %v; rounding noise should be small", s, v, d)
			}
		}
	}
}

func TestModelLearnedTheCorpus(t *testing.T) {
	// After "q" the corpus has only "u"; after "th" an "e" is far likelier
	// than an "x".
	m := model.Default()
	logits := make([]float32, model.VocabSize)
	tok := func(b byte) int { id, _ := model.ByteToken(b); return id }
	m.Logits(model.Context{Prev: tok('q'), Prev2: tok(' ')}, 4, logits)
	best := 0
	for v := range logits {
		if logits[v] > logits[best] {
			best = v
		}
	}
	if model.TokenByte(best) != 'u' {
		t.Errorf("after \" q\" the top token is %q, want 'u'", model.TokenByte(best))
	}
	m.Logits(model.Context{Prev: tok('h'), Prev2: tok('t')}, 4, logits)
	if logits[tok('e')] <= logits[tok('x')]+2 {
		t.Errorf("after \"th\": logit e %v, x %v", logits[tok('e')], logits[tok('x')])
	}
}

func TestTokenize(t *testing.T) {
	ids, err := model.Tokenize("Hi!\n~ ")
	if err != nil || !slices.Equal(ids, []int{'H' - 31, 'i' - 31, '!' - 31, 0, '~' - 31, 1}) {
		t.Errorf("Tokenize = %v, %v", ids, err)
	}
	if model.Detokenize(ids) != "Hi!\n~ " {
		t.Errorf("Detokenize = %q", model.Detokenize(ids))
	}
	for _, bad := range []string{"tab\there", "caf\u00e9", "\x00"} {
		if _, err := model.Tokenize(bad); err == nil {
			t.Errorf("Tokenize(%q) accepted a byte outside the vocabulary", bad)
		}
	}
	for id := range model.VocabSize {
		if back, ok := model.ByteToken(model.TokenByte(id)); !ok || back != id {
			t.Errorf("token %d round-trips to %d, %v", id, back, ok)
		}
	}
}
