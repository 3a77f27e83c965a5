package server

// The JSON shapes of the two APIs. Field order follows llama.cpp's server so
// that transcripts read the same.

// llamaPartial is one streamed /completion event before the last.
type llamaPartial struct {
	Index           int    `json:"index"`
	Content         string `json:"content"`
	Tokens          []int  `json:"tokens"`
	Stop            bool   `json:"stop"`
	IDSlot          int    `json:"id_slot"`
	TokensPredicted int    `json:"tokens_predicted"`
	TokensEvaluated int    `json:"tokens_evaluated"`
}

// llamaFinal is the last /completion event (or the whole non-streamed
// response).
type llamaFinal struct {
	Index              int      `json:"index"`
	Content            string   `json:"content"`
	Tokens             []int    `json:"tokens"`
	IDSlot             int      `json:"id_slot"`
	Stop               bool     `json:"stop"`
	Model              string   `json:"model"`
	TokensPredicted    int      `json:"tokens_predicted"`
	TokensEvaluated    int      `json:"tokens_evaluated"`
	GenerationSettings settings `json:"generation_settings"`
	Prompt             string   `json:"prompt"`
	HasNewLine         bool     `json:"has_new_line"`
	Truncated          bool     `json:"truncated"`
	StopType           string   `json:"stop_type"`
	StoppingWord       string   `json:"stopping_word"`
	TokensCached       int      `json:"tokens_cached"`
	Timings            timings  `json:"timings"`
}

// settings are the effective generation settings of a request.
type settings struct {
	Seed                  uint64   `json:"seed"`
	Temperature           float64  `json:"temperature"`
	TopK                  int      `json:"top_k"`
	TopP                  float64  `json:"top_p"`
	MinP                  float64  `json:"min_p"`
	NPredict              int      `json:"n_predict"`
	Stream                bool     `json:"stream"`
	CachePrompt           bool     `json:"cache_prompt"`
	Samplers              []string `json:"samplers"`
	SamplerProfileVersion string   `json:"sampler_profile_version"`
	EngineVersion         string   `json:"engine_version"`
	ModelDigest           string   `json:"model_digest"`
	Priority              int      `json:"priority"`
}

type timings struct {
	CacheN              int     `json:"cache_n"`
	PromptN             int     `json:"prompt_n"`
	PromptMS            float64 `json:"prompt_ms"`
	PromptPerTokenMS    float64 `json:"prompt_per_token_ms"`
	PromptPerSecond     float64 `json:"prompt_per_second"`
	PredictedN          int     `json:"predicted_n"`
	PredictedMS         float64 `json:"predicted_ms"`
	PredictedPerTokenMS float64 `json:"predicted_per_token_ms"`
	PredictedPerSecond  float64 `json:"predicted_per_second"`
}

// oaiChunk is an OpenAI text_completion object, streamed or whole.
type oaiChunk struct {
	Choices           []oaiChoice `json:"choices"`
	Created           int64       `json:"created"`
	Model             string      `json:"model"`
	SystemFingerprint string      `json:"system_fingerprint"`
	Object            string      `json:"object"`
	Usage             *oaiUsage   `json:"usage,omitempty"`
	ID                string      `json:"id"`
}

type oaiChoice struct {
	Text         string    `json:"text"`
	Index        int       `json:"index"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

type oaiUsage struct {
	CompletionTokens int `json:"completion_tokens"`
	PromptTokens     int `json:"prompt_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// apiError is the error body shared by both APIs; Field names the bad
// request field when there is one.
type apiError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Type    string `json:"type"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// samplerChain names the samplers in the order Profile applies them.
var samplerChain = []string{"top_k", "top_p", "min_p", "temperature"}

// modelName is the model id both APIs report.
const modelName = "refmodel"
