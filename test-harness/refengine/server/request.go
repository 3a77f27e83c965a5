package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

// MaxPredict bounds n_predict; -1 means "up to MaxPredict" (the context).
// The model has no real context limit; this is the n_ctx it reports.
const MaxPredict = 1 << 20

// request is a validated completion request.
type request struct {
	prompt      string
	tokens      []int
	nPredict    int  // -1: up to MaxPredict
	random      bool // seed -1: the server picks the seed
	seed        uint64
	params      sampler.Params
	stream      bool
	cachePrompt bool
	model       string
	// priority is the request's scheduling priority as vLLM names it (a
	// lower value runs first there); recorded, it does not change the
	// output of the reference model (OC-CORE-1058).
	priority int
}

// fieldError is a bad request naming its field.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return fmt.Sprintf("%q: %s", e.field, e.msg) }

func bad(field, format string, args ...any) *fieldError {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// dialect says which API a request came in through.
type dialect int

const (
	llama dialect = iota
	openAI
)

// parseRequest validates a JSON body. Unknown fields are ignored, as
// llama.cpp does.
func parseRequest(body []byte, d dialect) (*request, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, bad("body", "must be a JSON object")
	}
	r := &request{
		nPredict: -1,
		random:   true,
		params:   sampler.Params{Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05},
	}
	if d == openAI {
		r.nPredict = 16
		r.params.Temperature = 1
	}
	p, ok := raw["prompt"]
	if !ok {
		return nil, bad("prompt", "is required")
	}
	if err := json.Unmarshal(p, &r.prompt); err != nil {
		return nil, bad("prompt", "must be a string")
	}
	toks, err := model.Tokenize(r.prompt)
	if err != nil {
		return nil, bad("prompt", "%v", err)
	}
	r.tokens = toks
	lengthField := "n_predict"
	if d == openAI {
		if _, ok := raw["max_tokens"]; ok || raw["n_predict"] == nil {
			lengthField = "max_tokens"
		}
	}
	fields := []struct {
		name string
		set  func(json.RawMessage) error
	}{
		{lengthField, intField(lengthField, -1, MaxPredict, &r.nPredict)},
		{"seed", seedField(&r.random, &r.seed)},
		{"temperature", floatField("temperature", 0, 100, &r.params.Temperature)},
		{"top_k", intField("top_k", 0, MaxPredict, &r.params.TopK)},
		{"top_p", floatField("top_p", 0, 1, &r.params.TopP)},
		{"min_p", floatField("min_p", 0, 1, &r.params.MinP)},
		{"stream", boolField("stream", &r.stream)},
		{"cache_prompt", boolField("cache_prompt", &r.cachePrompt)},
		{"model", stringField("model", &r.model)},
		{"priority", intField("priority", math.MinInt32, math.MaxInt32, &r.priority)},
	}
	for _, f := range fields {
		v, ok := raw[f.name]
		if !ok || string(v) == "null" {
			continue
		}
		if err := f.set(v); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func intField(name string, lo, hi int, dst *int) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || n < int64(lo) || n > int64(hi) {
			return bad(name, "must be an integer in [%d, %d], got %s", lo, hi, v)
		}
		*dst = int(n)
		return nil
	}
}

func floatField(name string, lo, hi float64, dst *float64) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsNaN(f) || f < lo || f > hi {
			return bad(name, "must be a number in [%g, %g], got %s", lo, hi, v)
		}
		*dst = f
		return nil
	}
}

func boolField(name string, dst *bool) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		if err := json.Unmarshal(v, dst); err != nil {
			return bad(name, "must be a boolean, got %s", v)
		}
		return nil
	}
}

func stringField(name string, dst *string) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		if err := json.Unmarshal(v, dst); err != nil {
			return bad(name, "must be a string, got %s", v)
		}
		return nil
	}
}

// seedField accepts -1 (random) or an integer in [0, 2^64-1].
func seedField(random *bool, value *uint64) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		s := string(v)
		if s == "-1" {
			*random = true
			return nil
		}
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return bad("seed", "must be -1 (random) or an integer in [0, 18446744073709551615], got %s", v)
		}
		*random, *value = false, u
		return nil
	}
}

// limit is the number of tokens to generate.
func (r *request) limit() int {
	if r.nPredict < 0 {
		return MaxPredict
	}
	return r.nPredict
}
