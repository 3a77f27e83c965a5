package client

import (
	"encoding/json"
	"fmt"
)

// parser folds a stream's events into a Result.
type parser struct {
	api  API
	url  string
	res  *Result
	n    int
	done bool
	noAt bool // some event had no tokens_predicted
}

type llamaEvent struct {
	Content            *string        `json:"content"`
	Tokens             []int          `json:"tokens"`
	TokensPredicted    *int           `json:"tokens_predicted"`
	Stop               *bool          `json:"stop"`
	StopType           string         `json:"stop_type"`
	GenerationSettings map[string]any `json:"generation_settings"`
}

type oaiEvent struct {
	Choices []struct {
		Text         *string `json:"text"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Model             string `json:"model"`
	SystemFingerprint string `json:"system_fingerprint"`
	Usage             *struct {
		CompletionTokens *int `json:"completion_tokens"`
	} `json:"usage"`
}

// engineError is the JSON of llama.cpp's "error:" line.
type engineError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Type    string `json:"type"`
}

// failed turns an "error:" event into an error carrying the engine's
// message.
func (p *parser) failed(data []byte) error {
	var e engineError
	if err := json.Unmarshal(data, &e); err != nil || e.Message == "" {
		return fmt.Errorf("engine error after %d events: %.300q", p.n, data)
	}
	return fmt.Errorf("engine error after %d events: %s (code %d, %s)", p.n, e.Message, e.Code, e.Type)
}

func (p *parser) event(field string, data []byte) error {
	if field == "error" {
		return p.failed(data)
	}
	p.n++
	i := p.n // events are numbered from 1, as people count them
	p.res.Raw = append(p.res.Raw, append([]byte(nil), data...))
	if p.done {
		return fmt.Errorf("event %d: data after the final event: %.200q", i, data)
	}
	if p.api == OpenAI {
		return p.oai(i, data)
	}
	var ev llamaEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return fmt.Errorf("event %d: malformed JSON: %v: %.200q", i, err, data)
	}
	if ev.Stop == nil || ev.Content == nil {
		return fmt.Errorf("event %d: missing \"stop\" or \"content\": %.200q", i, data)
	}
	if *ev.Stop {
		p.done = true
		p.res.StopType = ev.StopType
		p.res.Settings = ev.GenerationSettings
		if ev.TokensPredicted != nil {
			p.res.Predicted = *ev.TokensPredicted
		}
		if *ev.Content == "" && len(ev.Tokens) == 0 {
			return nil
		}
	}
	p.res.Pieces = append(p.res.Pieces, *ev.Content)
	p.res.Tokens = append(p.res.Tokens, ev.Tokens...)
	return p.place(i, ev)
}

// place records the token index of each id of ev: the event's
// tokens_predicted counts every token generated so far, so its ids are
// the last ones. Without tokens_predicted (on any event) At stays nil.
func (p *parser) place(i int, ev llamaEvent) error {
	if ev.TokensPredicted == nil || p.noAt {
		p.noAt, p.res.At, p.res.PieceAt = true, nil, nil
		return nil
	}
	first := *ev.TokensPredicted - len(ev.Tokens)
	last := -1
	if n := len(p.res.At); n > 0 {
		last = p.res.At[n-1]
	}
	if len(ev.Tokens) > 0 && first <= last || first < 0 {
		return fmt.Errorf("event %d: tokens_predicted %d with %d ids after token %d", i, *ev.TokensPredicted, len(ev.Tokens), last)
	}
	for j := range ev.Tokens {
		p.res.At = append(p.res.At, first+j)
	}
	at := -1
	if len(ev.Tokens) > 0 {
		at = first + len(ev.Tokens) - 1
	}
	p.res.PieceAt = append(p.res.PieceAt, at)
	return nil
}

func (p *parser) oai(i int, data []byte) error {
	if string(data) == "[DONE]" {
		if p.res.StopType == "" {
			return fmt.Errorf("event %d: [DONE] before any finish_reason", i)
		}
		p.done = true
		return nil
	}
	var ev oaiEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return fmt.Errorf("event %d: malformed JSON: %v: %.200q", i, err, data)
	}
	if len(ev.Choices) != 1 || ev.Choices[0].Text == nil {
		return fmt.Errorf("event %d: want exactly one choice with \"text\": %.200q", i, data)
	}
	ch := ev.Choices[0]
	if p.res.StopType != "" {
		return fmt.Errorf("event %d: chunk after finish_reason %q: %.200q", i, p.res.StopType, data)
	}
	if ev.Usage != nil && ev.Usage.CompletionTokens != nil {
		p.res.Predicted = *ev.Usage.CompletionTokens
	}
	if ch.FinishReason != nil {
		p.res.StopType = *ch.FinishReason
		p.res.Settings = map[string]any{"model": ev.Model, "system_fingerprint": ev.SystemFingerprint}
		if *ch.Text == "" {
			return nil
		}
	}
	p.res.Pieces = append(p.res.Pieces, *ch.Text)
	return nil
}
