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

// Chunk is one streamed /v1/completions chunk as llama.cpp b4748 writes
// it; with finish set it is the last one and carries usage, unless
// completion < 0 (an engine that sends none, as OpenAI's own API does
// without stream_options.include_usage).
func Chunk(text string, finish *string, completion int, fingerprint string) []byte {
	t, _ := json.Marshal(text)
	fr := "null"
	usage := ""
	if finish != nil {
		fr = strconv.Quote(*finish)
	}
	if finish != nil && completion >= 0 {
		usage = fmt.Sprintf(",\"usage\":{\"completion_tokens\":%d,\"prompt_tokens\":5,\"total_tokens\":%d}", completion, completion+5)
	}
	return fmt.Appendf(nil, "data: {\"choices\":[{\"text\":%s,\"index\":0,\"logprobs\":null,\"finish_reason\":%s}],"+
		"\"created\":1740000000,\"model\":\"gpt-3.5-turbo\",\"system_fingerprint\":%q,\"object\":\"text_completion\"%s,\"id\":\"chatcmpl-fake\"}\n\n",
		t, fr, fingerprint, usage)
}

func build(o Options) string {
	if o.Build != "" {
		return o.Build
	}
	return "b4748-c392e509"
}

// Props is a llama.cpp b4748 /props body: default_generation_settings
// with every sampler default, total_slots, model_path, chat_template and
// build_info; none of the reference engine's version fields.
func Props(o Options) []byte {
	slots := max(1, o.Slots)
	rp := o.RepeatPenalty
	if rp == 0 {
		rp = 1
	}
	mp := o.ModelPath
	if mp == "" {
		mp = "models/tiny.gguf"
	}
	m, _ := json.Marshal(mp)
	return fmt.Appendf(nil, `{"default_generation_settings":{"id":0,"id_task":-1,"n_ctx":4096,"speculative":false,"is_processing":false,`+
		`"params":{"n_predict":-1,"seed":4294967295,"temperature":0.8,"dynatemp_range":0.0,"dynatemp_exponent":1.0,"top_k":40,"top_p":0.95,"min_p":0.05,`+
		`"xtc_probability":0.0,"xtc_threshold":0.1,"typical_p":1.0,"repeat_last_n":64,"repeat_penalty":%s,"presence_penalty":0.0,"frequency_penalty":0.0,`+
		`"dry_multiplier":0.0,"dry_base":1.75,"dry_allowed_length":2,"dry_penalty_last_n":4096,"dry_sequence_breakers":["\n",":","\"","*"],`+
		`"mirostat":0,"mirostat_tau":5.0,"mirostat_eta":0.1,"stop":[],"max_tokens":-1,"n_keep":0,"n_discard":0,"ignore_eos":false,"stream":true,`+
		`"n_probs":0,"min_keep":0,"grammar":"","samplers":["penalties","dry","top_k","typ_p","top_p","min_p","xtc","temperature"],`+
		`"speculative.n_max":16,"speculative.n_min":5,"speculative.p_min":0.9,"timings_per_token":false,"post_sampling_probs":false,"lora":[]},`+
		`"prompt":"","next_token":{"has_next_token":true,"has_new_line":false,"n_remain":-1,"n_decoded":0,"stopping_word":""}},`+
		`"total_slots":%d,"model_path":%s,"chat_template":"{{ bos_token }}","build_info":%q}`,
		strconv.FormatFloat(rp, 'f', -1, 64), slots, m, build(o))
}
