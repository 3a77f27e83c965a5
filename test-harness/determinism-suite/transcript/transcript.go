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
	// Tokens are the token ids by token index; nil when the engine does not
	// report ids (then comparison falls back to pieces). An id the engine
	// withheld (llama.cpp streams no id for a token whose text ends in an
	// incomplete UTF-8 sequence) is -1 unless IDsFrom says where it came
	// from.
	Tokens []int `json:"tokens"`
	// Pieces are the text of each token, in order: with ids, by token
	// index ("" for a token whose text was sent with a later one); without,
	// one per event.
	Pieces []string `json:"pieces"`
	// Content is the whole generated text as the engine reported it.
	Content string `json:"content"`
	// StopType is why generation ended (e.g. "limit", "eos"), when known.
	StopType string `json:"stop_type,omitempty"`
	// Predicted is how many tokens the engine says it generated
	// (tokens_predicted, or OpenAI's usage.completion_tokens); 0 when it
	// does not say.
	Predicted int `json:"tokens_predicted,omitempty"`
	// IDsFrom is "return_tokens" when withheld ids (and the text held back
	// at the end) were filled in from a second, non-streamed request that
	// agreed with the stream on every id it did carry.
	IDsFrom string `json:"ids_from,omitempty"`
	// Incomplete says why the ids or text of this stream are not all
	// known; such a stream can never be counted byte-exact.
	Incomplete string `json:"incomplete,omitempty"`
}

// Missing counts the tokens whose id is unknown: withheld ids, and tokens
// the engine counted but the stream never showed.
func (s Stream) Missing() int {
	n := 0
	if s.Tokens != nil {
		for _, id := range s.Tokens {
			if id < 0 {
				n++
			}
		}
		return n + max(0, s.Predicted-len(s.Tokens))
	}
	return max(0, s.Predicted-len(s.Pieces))
}

// Known reports whether every token of the stream is known: no missing
// ids and no reason recorded against it.
func (s Stream) Known() bool { return s.Incomplete == "" && s.Missing() == 0 }

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
	// Version is engine_version from /props, when the engine reports one,
	// else llama.cpp's build_info or OpenAI's system_fingerprint.
	Version string `json:"engine_version,omitempty"`
	// Model is model_digest from /props when reported, else model_path.
	Model string `json:"model,omitempty"`
	// Sent is the request body sent with every completion, less the prompt
	// and the seed, which vary.
	Sent map[string]any `json:"sent,omitempty"`
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
