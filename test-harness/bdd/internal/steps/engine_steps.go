package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"
)

// engines are reference-engine replicas on loopback, for the one scenario
// that compares real token streams (OC-CORE-1030).
type engines struct {
	servers []*server.Server
	urls    []string
	results []*client.Result
}

// twoReplicas starts two reference engines with one slot each and
// registers both in one replica set; the registry must accept them.
func (w *world) twoReplicas() error {
	for i := range 2 {
		s, err := server.New(server.Options{Parallel: 1})
		if err != nil {
			return err
		}
		w.servers = append(w.servers, s)
		url, err := s.Start("127.0.0.1:0")
		if err != nil {
			return err
		}
		w.urls = append(w.urls, url)
		v := determinism.Versions{
			Engine: "refengine", EngineVersion: s.EngineVersion(),
			SamplerProfileVersion: server.SamplerProfileVersion, ModelDigest: server.ModelDigest(),
		}
		if err := w.registry().Register(fmt.Sprintf("ref%d", i+1), determinism.Key(v), v); err != nil {
			return fmt.Errorf("registering replica %d: %w", i+1, err)
		}
	}
	return nil
}

// request is the completion both replicas get; only the seed varies.
func request(seed int64) client.Request {
	return client.Request{Prompt: "Once upon a time", NPredict: 24, Seed: seed, Temperature: 0.9, TopK: 40, TopP: 0.95}
}

func complete(ctx context.Context, url string, seed int64) (*client.Result, error) {
	if !strings.HasPrefix(url, "http") {
		url = "http://" + url
	}
	return client.New(url, client.LlamaCpp).Complete(ctx, request(seed))
}

func (w *world) sendBoth(ctx context.Context, seed int64) error {
	for _, u := range w.urls {
		res, err := complete(ctx, u, seed)
		if err != nil {
			return err
		}
		w.results = append(w.results, res)
	}
	return nil
}

// otherSeed is the control: the comparison above could fail, since
// another seed changes the stream.
func (w *world) otherSeed(ctx context.Context, seed int64) error {
	if len(w.results) == 0 || len(w.urls) == 0 {
		return fmt.Errorf("nothing was sent yet")
	}
	res, err := complete(ctx, w.urls[0], seed)
	if err != nil {
		return err
	}
	if slices.Equal(res.Tokens, w.results[0].Tokens) {
		return fmt.Errorf("seed %d gave the same stream %v", seed, res.Tokens)
	}
	return nil
}

func (w *world) identicalStreams() error {
	if len(w.results) != 2 {
		return fmt.Errorf("want two results, got %d", len(w.results))
	}
	a, b := w.results[0], w.results[1]
	if len(a.Tokens) == 0 {
		return fmt.Errorf("the first replica produced no tokens")
	}
	if !slices.Equal(a.Tokens, b.Tokens) || a.Content != b.Content {
		return fmt.Errorf("streams differ:\n%v %q\n%v %q", a.Tokens, a.Content, b.Tokens, b.Content)
	}
	return nil
}

func (w *world) closeEngines() {
	for _, s := range w.servers {
		s.Close()
	}
	w.servers = nil
}
