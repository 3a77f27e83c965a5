package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

//go:embed data/seeds.txt data/prompts.jsonl
var data embed.FS

// MinSeeds is the smallest seed corpus the suite accepts as proof (OC-TEST-7003).
const MinSeeds = 64

// Prompt is one prompt of the corpus. ID is stable and short; Text is sent
// to the engine as is.
type Prompt struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Seeds is a parsed seed file and the digest of its bytes.
type Seeds struct {
	Values []uint64
	SHA256 string
}

// Prompts is a parsed prompt file and the digest of its bytes.
type Prompts struct {
	Items  []Prompt
	SHA256 string
}

// DefaultSeeds returns the embedded seed corpus.
func DefaultSeeds() Seeds {
	s, err := ParseSeeds("data/seeds.txt", mustRead("data/seeds.txt"))
	if err != nil {
		panic(err) // the embedded file is pinned by a test
	}
	return s
}

// DefaultPrompts returns the embedded prompt corpus.
func DefaultPrompts() Prompts {
	p, err := ParsePrompts("data/prompts.jsonl", mustRead("data/prompts.jsonl"))
	if err != nil {
		panic(err)
	}
	return p
}

// LoadSeeds reads and parses a seed file.
func LoadSeeds(path string) (Seeds, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Seeds{}, err
	}
	return ParseSeeds(path, b)
}

// LoadPrompts reads and parses a prompt file.
func LoadPrompts(path string) (Prompts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Prompts{}, err
	}
	return ParsePrompts(path, b)
}

// ParseSeeds parses one unsigned decimal seed per line; blank lines and
// lines starting with '#' are skipped. name is used in errors.
func ParseSeeds(name string, b []byte) (Seeds, error) {
	out := Seeds{SHA256: Digest(b)}
	seen := map[uint64]int{}
	err := eachLine(b, func(n int, line string) error {
		if line == "" || strings.HasPrefix(line, "#") {
			return nil
		}
		v, err := strconv.ParseUint(line, 10, 64)
		if err != nil {
			return fmt.Errorf("%s:%d: want an unsigned decimal seed, got %q", name, n, line)
		}
		if first, dup := seen[v]; dup {
			return fmt.Errorf("%s:%d: seed %d repeats line %d", name, n, v, first)
		}
		seen[v] = n
		out.Values = append(out.Values, v)
		return nil
	})
	if err != nil {
		return Seeds{}, err
	}
	if len(out.Values) == 0 {
		return Seeds{}, fmt.Errorf("%s: no seeds", name)
	}
	return out, nil
}

// ParsePrompts parses JSON Lines of {"id": ..., "text": ...}; blank lines
// and lines starting with '#' are skipped. name is used in errors.
func ParsePrompts(name string, b []byte) (Prompts, error) {
	out := Prompts{SHA256: Digest(b)}
	seen := map[string]int{}
	err := eachLine(b, func(n int, line string) error {
		if line == "" || strings.HasPrefix(line, "#") {
			return nil
		}
		var p Prompt
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return fmt.Errorf("%s:%d: want {\"id\":..., \"text\":...}: %v", name, n, err)
		}
		if p.ID == "" || p.Text == "" {
			return fmt.Errorf("%s:%d: prompt needs a non-empty id and text", name, n)
		}
		if first, dup := seen[p.ID]; dup {
			return fmt.Errorf("%s:%d: prompt id %q repeats line %d", name, n, p.ID, first)
		}
		seen[p.ID] = n
		out.Items = append(out.Items, p)
		return nil
	})
	if err != nil {
		return Prompts{}, err
	}
	if len(out.Items) == 0 {
		return Prompts{}, fmt.Errorf("%s: no prompts", name)
	}
	return out, nil
}

// Digest is the hex sha256 of b.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func eachLine(b []byte, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if err := fn(n, strings.TrimSpace(sc.Text())); err != nil {
			return err
		}
	}
	return sc.Err()
}

func mustRead(name string) []byte {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}
