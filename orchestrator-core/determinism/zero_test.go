package determinism_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/determinism"
)

// TestZeroRegistryUsable: the zero Registry behaves like NewRegistry().
func TestZeroRegistryUsable(t *testing.T) {
	var r determinism.Registry
	v := determinism.Versions{Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}
	if _, ok := r.SetOf("r1"); ok {
		t.Fatal("empty registry knows r1")
	}
	if err := (&determinism.Registry{}).Declare("s", v); err != nil {
		t.Fatalf("Declare on a zero Registry: %v", err)
	}
	if err := r.Register("r1", "s", v); err != nil {
		t.Fatalf("Register on a zero Registry: %v", err)
	}
	if s, ok := r.SetOf("r1"); !ok || s != "s" {
		t.Fatalf("SetOf(r1) = %q, %v, want s, true", s, ok)
	}
	if got, ok := r.Versions("s"); !ok || got != v {
		t.Fatalf("Versions(s) = %+v, %v", got, ok)
	}
	if !r.MayRetry("s", "r1") {
		t.Fatal("MayRetry(s, r1) = false after Register")
	}
}
