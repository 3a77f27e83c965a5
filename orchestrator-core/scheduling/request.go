package scheduling

// Request is what placement needs to know about one task. Optional fields
// use [Opt]: an absent field constrains nothing, and placement never fills
// it with a guessed value (OC-CORE-1014).
type Request struct {
	ModelID     string
	ModelDigest Opt[string]
	// CtxMax is the context the user actually gets: the model's window
	// minus the template/tokenizer overhead (OC-CORE-1015). A replica is
	// feasible only if its CtxMaxSupported is at least this.
	CtxMax Opt[int]
	Quant  Opt[string]
	// Streaming, when present and true, requires the replica feature
	// [FeatureStreaming].
	Streaming  Opt[bool]
	Extensions []string
	// Engine names the engine the task needs; "" accepts any engine.
	Engine string

	// Pin names a pool; "" means automatic placement.
	Pin       string
	SessionID string
	// ReplicaSet, when not "", keeps the job inside that set (retries
	// never cross sets, OC-CORE-1031). Replicas of other sets are not
	// candidates at all.
	ReplicaSet string
	// Blocks are the chained hashes of the prompt's token blocks
	// ([Chain]); they matter only under an enabled PrefixPolicy.
	Blocks []uint64
}

// FeatureStreaming is the replica feature a streaming request needs.
const FeatureStreaming = "streaming"

// Catalog is what the model catalog states about a model.
type Catalog struct {
	ModelID     string
	ModelDigest Opt[string]
	Quant       Opt[string]
	Engine      string
	// Extensions the model entry requires (tools, grammar, ...).
	Extensions []string
}

// Capabilities is what was observed from the engine serving the model.
type Capabilities struct {
	// CtxWindow is the model's context window as the engine reports it.
	CtxWindow Opt[int]
	// TemplateOverhead is the number of tokens the chat template and
	// tokenizer consume before the user's first token.
	TemplateOverhead Opt[int]
	Streaming        Opt[bool]
}

// NewRequest builds the model requirements of a task from catalog and
// engine-capability data. A field that was not observed stays absent. In
// particular CtxMax is CtxWindow - TemplateOverhead only when both are
// known and the difference is positive; otherwise it is absent.
func NewRequest(cat Catalog, caps Capabilities) Request {
	r := Request{
		ModelID:     cat.ModelID,
		ModelDigest: cat.ModelDigest,
		Quant:       cat.Quant,
		Engine:      cat.Engine,
		Streaming:   caps.Streaming,
	}
	if len(cat.Extensions) > 0 {
		r.Extensions = append([]string(nil), cat.Extensions...)
	}
	r.CtxMax = UsableCtx(caps.CtxWindow, caps.TemplateOverhead)
	return r
}

// UsableCtx is the context a user gets from a window after the template
// overhead: absent unless both are known and the window exceeds a
// non-negative overhead. It never overflows: a window near the most
// negative int stays absent rather than wrapping to a huge value.
func UsableCtx(window, overhead Opt[int]) Opt[int] {
	w, okW := window.Get()
	o, okO := overhead.Get()
	if !okW || !okO || o < 0 || w <= o { // w <= o, not w-o <= 0: no wrap

		return Opt[int]{}
	}
	return Some(w - o)
}
