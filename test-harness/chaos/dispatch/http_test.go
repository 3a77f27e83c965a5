package dispatch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/chaos/dispatch"
)

func TestHTTPEngineAgainstRefengine(t *testing.T) {
	srv, err := server.New(server.Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &dispatch.HTTPEngine{URL: url}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := e.Probe(ctx)
	if err != nil || !st.Ready || st.Slots != 2 || st.EngineVersion == "" || st.Active != 0 {
		t.Fatalf("probe %+v %v", st, err)
	}
	j := &core.Job{Task: core.Task{ID: "t1", PromptTokens: 10, MaxNewTokens: 5}, Seed: determinism.Seed{Value: 1 << 63}}
	n := 0
	if err := e.Run(ctx, j, func(k int) { n += k }); err != nil || n != 5 {
		t.Fatalf("run: %d tokens, %v", n, err)
	}
	srv.SetReady(false)
	if st, err := e.Probe(ctx); err != nil || st.Ready {
		t.Fatalf("not ready probe %+v %v", st, err)
	}
	if err := e.Run(ctx, j, func(int) {}); !errors.Is(err, dispatch.ErrNotReady) {
		t.Fatalf("run on a not-ready replica: %v", err)
	}
	srv.Close()
	if err := e.Run(ctx, j, func(int) {}); !errors.Is(err, dispatch.ErrDown) {
		t.Fatalf("run on a closed replica: %v", err)
	}
}
