package scheduling_test

import (
	"math"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

func TestNewRequestKeepsAbsentFieldsAbsent(t *testing.T) {
	t.Attr("req", "OC-CORE-1014")
	cat := scheduling.Catalog{ModelID: "llama", Engine: "llamacpp"}
	req := scheduling.NewRequest(cat, scheduling.Capabilities{})
	if req.ModelDigest.Present() || req.Quant.Present() || req.CtxMax.Present() || req.Streaming.Present() {
		t.Fatalf("unobserved fields were filled: %+v", req)
	}
	if req.ModelID != "llama" || req.Engine != "llamacpp" || req.Extensions != nil {
		t.Fatalf("observed fields lost: %+v", req)
	}
	if got := req.CtxMax.String(); got != "absent" {
		t.Fatalf("String() = %q", got)
	}

	cat.ModelDigest, cat.Quant = scheduling.Some("sha256:aa"), scheduling.Some("q4")
	cat.Extensions = []string{"tools"}
	caps := scheduling.Capabilities{
		CtxWindow: scheduling.Some(8192), TemplateOverhead: scheduling.Some(96),
		Streaming: scheduling.Some(false),
	}
	req = scheduling.NewRequest(cat, caps)
	if d, ok := req.ModelDigest.Get(); !ok || d != "sha256:aa" {
		t.Fatalf("digest %v", req.ModelDigest)
	}
	if q, ok := req.Quant.Get(); !ok || q != "q4" {
		t.Fatalf("quant %v", req.Quant)
	}
	if s, ok := req.Streaming.Get(); !ok || s {
		t.Fatalf("streaming %v", req.Streaming)
	}
	cat.Extensions[0] = "mutated"
	if len(req.Extensions) != 1 || req.Extensions[0] != "tools" {
		t.Fatalf("extensions alias the catalog: %v", req.Extensions)
	}
}

func TestUsableCtx(t *testing.T) {
	t.Attr("req", "OC-CORE-1015")
	t.Attr("req", "OC-CORE-1014")
	some, none := scheduling.Some[int], scheduling.Opt[int]{}
	cases := []struct {
		name             string
		window, overhead scheduling.Opt[int]
		want             scheduling.Opt[int]
	}{
		{"overhead subtracted", some(8192), some(96), some(8096)},
		{"zero overhead", some(4096), some(0), some(4096)},
		{"unknown overhead is not guessed", some(4096), none, none},
		{"unknown window", none, some(10), none},
		{"overhead eats the window", some(64), some(64), none},
		{"negative overhead is invalid", some(64), some(-1), none},
		// MinInt - 1 wraps to MaxInt: an invented window (OC-CORE-1014).
		{"most negative window", some(math.MinInt), some(1), none},
		{"negative window", some(-5), some(0), none},
		{"largest window, no overhead", some(math.MaxInt), some(0), some(math.MaxInt)},
		{"largest overhead", some(math.MaxInt), some(math.MaxInt), none},
		{"most negative overhead", some(64), some(math.MinInt), none},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1015")
			if got := scheduling.UsableCtx(c.window, c.overhead); got != c.want {
				t.Fatalf("UsableCtx(%v, %v) = %v, want %v", c.window, c.overhead, got, c.want)
			}
			req := scheduling.NewRequest(scheduling.Catalog{}, scheduling.Capabilities{CtxWindow: c.window, TemplateOverhead: c.overhead})
			if req.CtxMax != c.want {
				t.Fatalf("NewRequest CtxMax = %v, want %v", req.CtxMax, c.want)
			}
		})
	}
}
