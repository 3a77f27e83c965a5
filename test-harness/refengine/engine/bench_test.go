package engine_test

import (
	"testing"

	"orchcore.dev/test-harness/refengine/engine"
	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

// BenchmarkGenerate measures single-goroutine generation with the default
// model and llama.cpp's default sampler settings.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	e := engine.New(model.Default(), "")
	prompt, _ := model.Tokenize("The keeper counted the ships")
	p := sampler.Params{Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}
	d := e.NewDecoder(prompt, p, 1)
	for b.Loop() {
		d.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tok/s")
}
