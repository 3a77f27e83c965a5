package transcript

import (
	"encoding/json"
	"time"
)

// Format tags the manifest; Read refuses any other.
const Format = "detsuite-transcript/1"

// File names inside a transcript directory.
const (
	ManifestFile = "manifest.json"
	TrialsFile   = "trials.jsonl"
)

// Stream is what one replica produced for one (prompt, seed).
type Stream struct {
	// Tokens are the token ids in order; nil when the engine does not report
	// ids (then comparison falls back to pieces).
	Tokens []int `json:"tokens"`
	// Pieces are the text bytes of each token, in order.
	Pieces []string `json:"pieces"`
	// Content is the whole generated text as the engine reported it.
	Content string `json:"content"`
	// StopType is why generation ended (e.g. "limit", "eos"), when known.
	StopType string `json:"stop_type,omitempty"`
}

// Trial is one (prompt, seed) and every replica's stream for it.
type Trial struct {
	PromptID string   `json:"prompt_id"`
	Prompt   string   `json:"prompt"`
	Seed     uint64   `json:"seed"`
	Streams  []Stream `json:"streams"`
}

// Params are the sampling parameters sent with every request.
type Params struct {
	NPredict    int     `json:"n_predict"`
	Temperature float64 `json:"temperature"`
	TopK        int     `json:"top_k"`
	TopP        float64 `json:"top_p"`
	MinP        float64 `json:"min_p"`
}

// Engine describes one replica of the run.
type Engine struct {
	URL string `json:"url"`
	API string `json:"api"`
	// StartedBySuite is true for reference-engine replicas the suite
	// started itself; Applied then holds the settings it applied.
	StartedBySuite bool           `json:"started_by_suite"`
	Applied        map[string]any `json:"applied,omitempty"`
	// Props is the engine's /props answer as received; PropsError says why
	// there is none.
	Props      json.RawMessage `json:"props,omitempty"`
	PropsError string          `json:"props_error,omitempty"`
	// Version is engine_version from /props, when the engine reports one.
	Version string `json:"engine_version,omitempty"`
}

// Tool names the program that wrote the transcript.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Go      string `json:"go"`
}

// Corpus identifies the seeds and prompts of the run.
type Corpus struct {
	SeedsSHA256   string `json:"seeds_sha256"`
	PromptsSHA256 string `json:"prompts_sha256"`
	Seeds         int    `json:"seeds"`
	Prompts       int    `json:"prompts"`
}

// Manifest describes a recorded run.
type Manifest struct {
	Format       string    `json:"format"`
	Tool         Tool      `json:"tool"`
	Created      time.Time `json:"created"`
	Params       Params    `json:"params"`
	Engines      []Engine  `json:"engines"`
	Corpus       Corpus    `json:"corpus"`
	Trials       int       `json:"trials"`
	Divergent    int       `json:"divergent_trials"`
	TrialsSHA256 string    `json:"trials_sha256"`
}
