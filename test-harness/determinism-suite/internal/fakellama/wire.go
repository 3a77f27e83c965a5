package fakellama

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Partial is one streamed llama.cpp /completion event for one token, as
// llama.cpp's server writes it: the SSE frame "data: {...}\n\n" with the
// fields index, content, tokens, stop, id_slot, tokens_predicted,
// tokens_evaluated in that order.
func Partial(content string, id, predicted int) []byte {
	c, _ := json.Marshal(content)
	return fmt.Appendf(nil,
		"data: {\"index\":0,\"content\":%s,\"tokens\":[%d],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":%d,\"tokens_evaluated\":5}\n\n",
		c, id, predicted)
}

// Final is the last llama.cpp /completion event of a stream that hit
// n_predict: empty content, stop true, stop_type "limit", the generation
// settings and timings.
func Final(prompt string, seed int64, n int) []byte {
	p, _ := json.Marshal(prompt)
	return fmt.Appendf(nil, "data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,"+
		"\"model\":\"gpt-3.5-turbo\",\"tokens_predicted\":%d,\"tokens_evaluated\":5,"+
		"\"generation_settings\":{\"n_predict\":%d,\"seed\":%s,\"temperature\":0.8,\"dynatemp_range\":0.0,"+
		"\"top_k\":40,\"top_p\":0.95,\"min_p\":0.05,\"samplers\":[\"penalties\",\"dry\",\"top_k\",\"typ_p\",\"top_p\",\"min_p\",\"xtc\",\"temperature\"],"+
		"\"stream\":true,\"n_probs\":0},"+
		"\"prompt\":%s,\"has_new_line\":false,\"truncated\":false,\"stop_type\":\"limit\",\"stopping_word\":\"\","+
		"\"tokens_cached\":%d,\"timings\":{\"prompt_n\":5,\"prompt_ms\":1.5,\"prompt_per_token_ms\":0.3,"+
		"\"prompt_per_second\":3333.3,\"predicted_n\":%d,\"predicted_ms\":20.0,\"predicted_per_token_ms\":0.6,"+
		"\"predicted_per_second\":1600.0}}\n\n",
		n, n, strconv.FormatInt(seed, 10), p, 5+n, n)
}

// Props is a llama.cpp /props body: build_info and
// default_generation_settings (and total_slots when slots > 0), none of the
// reference engine's version fields.
func Props(slots int) []byte {
	b := []byte(`{"default_generation_settings":{"id":0,"id_task":-1,"n_ctx":4096,"speculative":false,"is_processing":false,` +
		`"params":{"n_predict":-1,"seed":4294967295,"temperature":0.8,"top_k":40,"top_p":0.95,"min_p":0.05,"stream":true},` +
		`"prompt":""},"build_info":"b5092-4ccea213"`)
	if slots > 0 {
		b = fmt.Appendf(b, `,"total_slots":%d`, slots)
	}
	return append(b, '}')
}
