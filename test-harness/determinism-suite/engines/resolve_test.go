package engines_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// An engine whose second answer generates other ids than its stream
// showed is not repeatable: the stream stays incomplete and says so.
func TestResolveRefusesAnUnrepeatableEngine(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	f := fakellama.Start(fakellama.Options{Bytes: true, Nondeterministic: true})
	defer f.Close()
	e := engines.Dial(f.URL, client.LlamaCpp, "", time.Minute)
	p := transcript.Params{NPredict: 16, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}
	unrepeatable := 0
	for seed := range uint64(30) {
		s, err := e.Complete(context.Background(), suite.Request{Prompt: "x", Seed: seed, Params: p})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.Contains(s.Incomplete, "not repeatable"):
			unrepeatable++
		case s.IDsFrom == "return_tokens" && s.Missing() != 0:
			t.Fatalf("seed %d: resolved with %d ids missing", seed, s.Missing())
		}
	}
	if unrepeatable == 0 {
		t.Fatal("an engine that changes a token on every answer was never found unrepeatable")
	}
}

// Wait waits out a refused connection (the engine not listening yet) and
// a 503, and gives up after its time with the last answer.
func TestWaitForAnEngineNotYetListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	old := engines.PollEvery
	engines.PollEvery = 5 * time.Millisecond
	defer func() { engines.PollEvery = old }()
	late := make(chan net.Listener, 1)
	t.Cleanup(func() {
		if l := <-late; l != nil {
			l.Close()
		}
	})
	go func() {
		time.Sleep(50 * time.Millisecond)
		l, err := net.Listen("tcp", addr)
		late <- l
		if err != nil {
			return
		}
		http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"status":"ok"}`)) }))
	}()
	e := engines.Dial("http://"+addr, client.LlamaCpp, "", time.Second)
	notes := 0
	if err := e.Wait(context.Background(), 5*time.Second, func(string) { notes++ }); err != nil {
		t.Fatalf("wait: %v", err)
	}
	if notes == 0 {
		t.Error("no note while the engine was not listening")
	}
	f := fakellama.Start(fakellama.Options{Loading: 1 << 30})
	defer f.Close()
	err = engines.Dial(f.URL, client.LlamaCpp, "", time.Second).Wait(context.Background(), 30*time.Millisecond, nil)
	if err == nil || !strings.Contains(err.Error(), "not ready after --wait 30ms") || !strings.Contains(err.Error(), "Loading model") {
		t.Fatalf("never ready: %v", err)
	}
}
