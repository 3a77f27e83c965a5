package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"orchcore.dev/test-harness/refengine/model"
)

// emitter writes one response in the request's dialect, streamed as SSE or
// whole at the end.
type emitter struct {
	w        http.ResponseWriter
	rc       *http.ResponseController
	d        dialect
	req      *request
	slot     int
	settings settings
	version  string
	tokens   []int
	id       string
	created  int64
	buf      bytes.Buffer
	started  bool
}

func newEmitter(w http.ResponseWriter, d dialect, req *request, slot int, st settings, version string) *emitter {
	e := &emitter{w: w, rc: http.NewResponseController(w), d: d, req: req, slot: slot, settings: st, version: version}
	if d == openAI {
		e.id, e.created = newID(), time.Now().Unix()
	}
	return e
}

// event writes one SSE event carrying v as JSON and flushes it.
func (e *emitter) event(v any) error {
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	e.buf.Reset()
	e.buf.WriteString("data: ")
	if raw, ok := v.(string); ok {
		e.buf.WriteString(raw)
	} else if err := json.NewEncoder(&e.buf).Encode(v); err != nil {
		return err
	} else {
		e.buf.Truncate(e.buf.Len() - 1) // Encode's newline
	}
	e.buf.WriteString("\n\n")
	if _, err := e.w.Write(e.buf.Bytes()); err != nil {
		return err
	}
	return e.rc.Flush()
}

// token emits one generated token.
func (e *emitter) token(t int) error {
	e.tokens = append(e.tokens, t)
	if !e.req.stream {
		return nil
	}
	piece := string(model.TokenByte(t))
	if e.d == openAI {
		return e.event(e.oai(piece, nil, nil))
	}
	return e.event(llamaPartial{
		Content:         piece,
		Tokens:          []int{t},
		IDSlot:          e.slot,
		TokensPredicted: len(e.tokens),
		TokensEvaluated: len(e.req.tokens),
	})
}

func (e *emitter) oai(text string, finish *string, usage *oaiUsage) oaiChunk {
	return oaiChunk{
		Choices:           []oaiChoice{{Text: text, FinishReason: finish}},
		Created:           e.created,
		Model:             modelName,
		SystemFingerprint: e.version,
		Object:            "text_completion",
		Usage:             usage,
		ID:                e.id,
	}
}

// final ends the response after a full generation.
func (e *emitter) final(took time.Duration) error {
	content := model.Detokenize(e.tokens)
	if e.d == openAI {
		length := "length"
		usage := &oaiUsage{
			CompletionTokens: len(e.tokens),
			PromptTokens:     len(e.req.tokens),
			TotalTokens:      len(e.tokens) + len(e.req.tokens),
		}
		if !e.req.stream {
			writeJSON(e.w, http.StatusOK, e.oai(content, &length, usage))
			return nil
		}
		if err := e.event(e.oai("", &length, usage)); err != nil {
			return err
		}
		return e.event("[DONE]")
	}
	f := llamaFinal{
		Content:            content,
		Tokens:             e.tokens,
		IDSlot:             e.slot,
		Stop:               true,
		Model:              modelName,
		TokensPredicted:    len(e.tokens),
		TokensEvaluated:    len(e.req.tokens),
		GenerationSettings: e.settings,
		Prompt:             e.req.prompt,
		HasNewLine:         strings.Contains(content, "\n"),
		StopType:           "limit",
		TokensCached:       len(e.req.tokens) + len(e.tokens),
		Timings:            timingsOf(len(e.req.tokens), len(e.tokens), took),
	}
	if !e.req.stream {
		writeJSON(e.w, http.StatusOK, f)
		return nil
	}
	f.Content, f.Tokens = "", []int{}
	return e.event(f)
}

func timingsOf(promptN, predictedN int, took time.Duration) timings {
	ms := float64(took.Microseconds()) / 1000
	t := timings{PromptN: promptN, PredictedN: predictedN, PredictedMS: ms}
	if predictedN > 0 && ms > 0 {
		t.PredictedPerTokenMS = ms / float64(predictedN)
		t.PredictedPerSecond = float64(predictedN) / (ms / 1000)
	}
	return t
}
