package engines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/suite"
)

// A run stopped while the non-streamed request that fills in withheld
// ids is under way gives an error, not a stream cut short: that stream
// would lack the held-back tail and compare as if the engine had sent
// less.
func TestStopWhileResolvingIsAnError(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /completion", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Stream bool }
		if err := decode(r, &body); err != nil || !body.Stream {
			cancel() // the run is stopped while the second request waits
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		// Token 0 withheld (a lead byte); token 1 carries the text.
		fmt.Fprint(w, "data: {\"index\":0,\"content\":\"東\",\"tokens\":[9],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":2,\"tokens_evaluated\":3}\n\n"+
			"data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"model\":\"m\",\"tokens_predicted\":2,\"tokens_evaluated\":3,\"stop_type\":\"limit\"}\n\n")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	e := engines.Dial(srv.URL, client.LlamaCpp, "", time.Minute)
	s, err := e.Complete(ctx, suite.Request{Prompt: "x", Seed: 1, Params: params})
	if err == nil {
		t.Fatalf("stopped while resolving: no error, stream %+v", s)
	}
	// Not stopped, the failed second request leaves the stream incomplete.
	mux2 := http.NewServeMux()
	mux2.HandleFunc("POST /completion", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Stream bool }
		if decode(r, &body); !body.Stream {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"index\":0,\"content\":\"東\",\"tokens\":[9],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":2,\"tokens_evaluated\":3}\n\n"+
			"data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"model\":\"m\",\"tokens_predicted\":2,\"tokens_evaluated\":3,\"stop_type\":\"limit\"}\n\n")
	})
	srv2 := httptest.NewServer(mux2)
	defer srv2.Close()
	s, err = engines.Dial(srv2.URL, client.LlamaCpp, "", time.Minute).Complete(context.Background(), suite.Request{Prompt: "x", Seed: 1, Params: params})
	if err != nil || s.Known() || s.Incomplete == "" {
		t.Fatalf("failed second request: err %v, stream %+v", err, s)
	}
}

func decode(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
