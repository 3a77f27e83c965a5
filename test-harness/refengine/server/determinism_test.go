package server_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"
)

// load is the concurrent workload of the determinism tests: 16 requests of
// 64 tokens under llama.cpp's default sampler settings.
const (
	loadRequests = 16
	loadTokens   = 64
)

func loadRequest(i int) client.Request {
	return client.Request{
		Prompt:      fmt.Sprintf("Request %d: the keeper counted the ships", i),
		NPredict:    loadTokens,
		Seed:        int64(1000 + i),
		Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05,
	}
}

// runLoad sends the workload to url, all requests at once when concurrent,
// and returns each request's token ids.
func runLoad(t *testing.T, url string, concurrent bool) [][]int {
	t.Helper()
	c := client.New(url, client.LlamaCpp)
	out := make([][]int, loadRequests)
	errs := make([]error, loadRequests)
	var wg sync.WaitGroup
	for i := range out {
		run := func() {
			res, err := c.Complete(context.Background(), loadRequest(i))
			if err == nil {
				out[i] = res.Tokens
			}
			errs[i] = err
		}
		if concurrent {
			wg.Go(run)
		} else {
			run()
		}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if len(out[i]) != loadTokens {
			t.Fatalf("request %d: %d tokens, want %d", i, len(out[i]), loadTokens)
		}
	}
	return out
}

func TestSingleSlotIsByteExactAcrossServers(t *testing.T) {
	t.Attr("req", "OC-CORE-1030")
	_, a := start(t, server.Options{Parallel: 1})
	_, b := start(t, server.Options{Parallel: 1})
	ca := client.New(a, client.LlamaCpp)
	cb := client.New(b, client.LlamaCpp)
	for i := range 4 {
		ra, err := ca.Complete(context.Background(), loadRequest(i))
		if err != nil {
			t.Fatal(err)
		}
		rb, err := cb.Complete(context.Background(), loadRequest(i))
		if err != nil {
			t.Fatal(err)
		}
		// Every event but the final one (which carries timings) is
		// byte-identical.
		last := len(ra.Raw) - 1
		if len(ra.Raw) != len(rb.Raw) || !slices.EqualFunc(ra.Raw[:last], rb.Raw[:last], slices.Equal) {
			t.Fatalf("request %d: streams differ:\n%s\n%s", i, ra.Content, rb.Content)
		}
	}
}

func TestDeterministicModesHoldUnderConcurrentLoad(t *testing.T) {
	t.Attr("req", "OC-CORE-1030")
	_, ref := start(t, server.Options{Parallel: 1})
	want := runLoad(t, ref, false)
	for _, o := range []server.Options{
		{Parallel: 1},
		{Parallel: 4},
		{Parallel: 4, ContBatching: true, BatchInvariant: true},
	} {
		t.Run(fmt.Sprintf("parallel=%d,cont=%v,invariant=%v", o.Parallel, o.ContBatching, o.BatchInvariant), func(t *testing.T) {
			t.Attr("req", "OC-CORE-1030")
			_, url := start(t, o)
			got := runLoad(t, url, true)
			if o.ContBatching && batchedSteps(t, url) == 0 {
				t.Fatal("no decode step shared a batch; the load did not exercise batching")
			}
			for i := range want {
				if !slices.Equal(got[i], want[i]) {
					t.Errorf("request %d differs from the single-slot reference", i)
				}
			}
		})
	}
}

func TestContinuousBatchingDivergesUnderLoad(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	_, ref := start(t, server.Options{Parallel: 1})
	want := runLoad(t, ref, false)

	_, url := start(t, server.Options{Parallel: 4, ContBatching: true})
	// Alone, a request runs in a batch of one and matches the reference.
	alone := runLoad(t, url, false)
	for i := range want {
		if !slices.Equal(alone[i], want[i]) {
			t.Fatalf("request %d run alone differs from the reference", i)
		}
	}
	got := runLoad(t, url, true)
	if batchedSteps(t, url) == 0 {
		t.Fatal("no decode step shared a batch under concurrent load")
	}
	differ := 0
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatalf("no stream changed under concurrent load with --cont-batching; batch sizes: %s",
			metric(t, url, "refengine_decode_batch_size_sum"))
	}
	t.Logf("%d of %d streams changed under load", differ, loadRequests)
}

func TestEngineVersionAndSeedChangeTheStream(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	_, base := start(t, server.Options{})
	_, next := start(t, server.Options{EngineVersion: "refengine-0.2.0"})
	cb, cn := client.New(base, client.LlamaCpp), client.New(next, client.LlamaCpp)
	req := loadRequest(0)
	a, err := cb.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cn.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if a.Content == b.Content {
		t.Errorf("engine versions %v and %v gave the same stream %q", a.Settings["engine_version"], b.Settings["engine_version"], a.Content)
	}
	if b.Settings["engine_version"] != "refengine-0.2.0" {
		t.Errorf("engine_version reported as %v", b.Settings["engine_version"])
	}
	req.Seed++
	c, err := cb.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if a.Content == c.Content {
		t.Errorf("seeds %d and %d gave the same stream %q", req.Seed-1, req.Seed, a.Content)
	}
}

func TestRandomSeedIsReportedAndReplays(t *testing.T) {
	t.Attr("req", "OC-CORE-1030")
	_, url := start(t, server.Options{})
	c := client.New(url, client.LlamaCpp)
	req := loadRequest(0)
	req.Seed = -1
	a, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	seed, ok := a.Settings["seed"].(float64)
	if !ok || seed < 0 || seed > 1<<32 {
		t.Fatalf("reported seed %v", a.Settings["seed"])
	}
	req.Seed = int64(seed)
	b, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if a.Content != b.Content {
		t.Errorf("replaying reported seed %d: %q, first run %q", req.Seed, b.Content, a.Content)
	}
}

// batchedSteps counts decode steps that ran in a batch of more than one.
func batchedSteps(t *testing.T, url string) int {
	t.Helper()
	total, _ := strconv.Atoi(metric(t, url, "refengine_decode_batch_size_count"))
	alone, _ := strconv.Atoi(metric(t, url, `refengine_decode_batch_size_bucket{le="1"}`))
	return total - alone
}
