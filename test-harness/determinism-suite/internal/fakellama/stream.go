package fakellama

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// closeAfter writes a streamed answer the way cpp-httplib 0.19 does for
// llama.cpp: chunked, advertising keep-alive, the terminal chunk, and then
// the connection is closed (the content provider returns false, which
// cpp-httplib treats as canceled).
func closeAfter(w http.ResponseWriter, body func(emit func([]byte))) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	fmt.Fprint(bw, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: \r\nContent-Type: text/event-stream\r\n"+
		"Keep-Alive: timeout=5, max=100\r\nServer: llama.cpp\r\nTransfer-Encoding: chunked\r\n\r\n")
	body(func(b []byte) {
		fmt.Fprintf(bw, "%x\r\n%s\r\n", len(b), b)
		bw.Flush()
	})
	fmt.Fprint(bw, "0\r\n\r\n")
	bw.Flush()
}

// ContextError is the message llama.cpp sends when a prompt and its
// continuation do not fit the context.
const ContextError = "the request exceeds the available context size, try increasing the context size or enable context shift"

// stream writes g's events: one per token whose text leaves the
// generated text complete UTF-8, carrying the text held back until then.
func (f *Fake) stream(emit func([]byte), req request, g generation, seed uint32, oai bool) {
	if f.o.ErrorFirst {
		f.fail(emit, oai)
		return
	}
	var text strings.Builder
	sent, events := 0, 0
	for i, id := range g {
		text.WriteString(Word(id))
		s := text.String()
		if completeUTF8(s) < len(s) {
			continue // held back: no event, and this id is never streamed
		}
		if f.o.ErrorAfter > 0 && events == f.o.ErrorAfter {
			f.fail(emit, oai)
			return
		}
		piece := s[sent:]
		sent = len(s)
		events++
		if oai {
			emit(Chunk(piece, nil, 0, build(f.o)))
		} else {
			emit(Partial(piece, f.reported(id), i+1))
		}
	}
	if oai {
		count := len(g)
		if f.o.NoUsage {
			count = -1
		}
		emit(Chunk("", &length, count, build(f.o)))
		emit([]byte("data: [DONE]\n\n"))
		return
	}
	emit(Final(req.Prompt, int64(seed), len(g)))
}

var length = "length"

// fail ends a stream with llama.cpp's error line (HTTP 200 was already
// sent), then "data: [DONE]" on /v1/completions.
func (f *Fake) fail(emit func([]byte), oai bool) {
	emit(fmt.Appendf(nil, "error: {\"code\":400,\"message\":%q,\"type\":\"invalid_request_error\"}\n\n", ContextError))
	if oai {
		emit([]byte("data: [DONE]\n\n"))
	}
}

// whole answers without streaming: the full generated text (invalid
// bytes as U+FFFD) and, when asked, every id.
func (f *Fake) whole(w http.ResponseWriter, req request, g generation, seed uint32, oai bool) {
	var text strings.Builder
	ids := []int{}
	for _, id := range g {
		text.WriteString(Word(id))
		if req.ReturnTokens {
			ids = append(ids, f.reported(id))
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if oai {
		json.NewEncoder(w).Encode(map[string]any{
			"choices": []any{map[string]any{"text": text.String(), "index": 0, "logprobs": nil, "finish_reason": "length"}},
			"model":   "gpt-3.5-turbo", "object": "text_completion", "system_fingerprint": build(f.o),
			"usage": map[string]int{"completion_tokens": len(g), "prompt_tokens": 5, "total_tokens": 5 + len(g)},
		})
		return
	}
	c, _ := json.Marshal(text.String())
	t, _ := json.Marshal(ids)
	fmt.Fprintf(w, "{\"index\":0,\"content\":%s,\"tokens\":%s,\"id_slot\":0,\"stop\":true,\"model\":\"gpt-3.5-turbo\",\"tokens_predicted\":%d,\"tokens_evaluated\":5,\"stop_type\":\"limit\",\"generation_settings\":{\"seed\":%d}}",
		c, t, len(g), seed)
}

// completeUTF8 is the length of the prefix of s that does not end in a
// cut multi-byte sequence, as llama.cpp's validate_utf8 decides: only a
// lead byte among the last four bytes with too few bytes after it counts;
// stray continuation bytes do not (they are sent, and become U+FFFD).
func completeUTF8(s string) int {
	n := len(s)
	for i := 1; i <= 4 && i <= n; i++ {
		c := s[n-i]
		switch {
		case c&0xE0 == 0xC0 && i < 2, c&0xF0 == 0xE0 && i < 3, c&0xF8 == 0xF0 && i < 4:
			return n - i
		}
	}
	return n
}
