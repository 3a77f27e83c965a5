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
}

type llamaEvent struct {
	Content            *string        `json:"content"`
	Tokens             []int          `json:"tokens"`
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
}

func (p *parser) event(data []byte) error {
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
		if *ev.Content == "" && len(ev.Tokens) == 0 {
			return nil
		}
	}
	p.res.Pieces = append(p.res.Pieces, *ev.Content)
	p.res.Tokens = append(p.res.Tokens, ev.Tokens...)
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
