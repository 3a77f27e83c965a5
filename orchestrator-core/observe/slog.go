package observe

import (
	"context"
	"log/slog"
)

// Logger is an [Observer] that writes one log record per event through
// log/slog.
type Logger struct {
	l *slog.Logger
}

var _ Observer = Logger{}

// NewLogger returns an Observer logging to l (slog.Default() when nil).
//
// Every record, whatever the event kind, carries the job fields of
// OC-CORE-1040 (job_id, session_id, engine, engine_version, pool_id,
// replica_id, model_id, quant, ctx, kv_warmth, queue_time_ms,
// decode_time_ms, seed, sampler_profile_version) and event, at_ms,
// task_id, tenant, class, reason, candidates_total and candidates_feasible
// (OC-CORE-1042); a field that does not apply is logged with its zero
// value, so a record's shape does not depend on its kind.
//
// Records are at Debug for token and replica events, Warn for refusals,
// evictions, failures, timeouts and placements that found no replica, and
// Info otherwise. The message is the event name. Kind-specific fields
// (policy, evicted_by, preempted_by, tokens, first_token, first_token_ms, attempt,
// delay_ms, the replica sample) follow the common ones; counts of
// candidates filtered per reason form the group "filtered", present when
// any was filtered.
func NewLogger(l *slog.Logger) Logger {
	if l == nil {
		l = slog.Default()
	}
	return Logger{l: l}
}

// Observe logs e.
func (g Logger) Observe(e Event) {
	ctx := context.Background()
	lvl := level(e.Kind)
	if !g.l.Enabled(ctx, lvl) {
		return
	}
	g.l.LogAttrs(ctx, lvl, e.Kind.String(), attrs(e)...)
}

func level(k Kind) slog.Level {
	switch k {
	case Token, Replica:
		return slog.LevelDebug
	case Rejected, Dropped, Failed, TimedOut, NoCapacity, Expired, Preempted:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func attrs(e Event) []slog.Attr {
	a := make([]slog.Attr, 0, 32)
	a = append(a,
		slog.String("event", e.Kind.String()),
		slog.Int64("at_ms", e.AtMs),
		slog.String("task_id", e.TaskID),
		slog.String("job_id", e.JobID),
		slog.String("session_id", e.SessionID),
		slog.String("tenant", e.Tenant),
		slog.String("class", e.Class),
		slog.String("pool_id", e.PoolID),
		slog.String("replica_id", e.ReplicaID),
		slog.String("engine", e.Engine),
		slog.String("engine_version", e.EngineVersion),
		slog.String("sampler_profile_version", e.SamplerProfileVersion),
		slog.String("model_id", e.ModelID),
		slog.String("quant", e.Quant),
		slog.Int("ctx", e.Ctx),
		slog.Bool("kv_warmth", e.KVWarmth),
		slog.Uint64("seed", e.Seed),
		slog.Int64("queue_time_ms", e.QueueTimeMs),
		slog.Int64("decode_time_ms", e.DecodeTimeMs),
		slog.String("reason", e.Reason),
	)
	var total, feasible int
	if p := e.Placement; p != nil {
		total, feasible = p.CandidatesTotal, p.CandidatesFeasible
	}
	a = append(a, slog.Int("candidates_total", total), slog.Int("candidates_feasible", feasible))
	return append(a, extra(e)...)
}

// extra returns the fields that only some kinds carry.
func extra(e Event) []slog.Attr {
	var a []slog.Attr
	switch e.Kind {
	case Rejected, Dropped:
		a = append(a, slog.String("policy", e.Policy))
		if e.Kind == Dropped {
			a = append(a, slog.String("evicted_by", e.EvictedBy))
		}
	case Dispatched:
		a = append(a, slog.Bool("pinned", e.Pinned), slog.Bool("fallback", e.Fallback),
			slog.Int("tokens_in", e.TokensIn), slog.Int("engine_priority", e.EnginePriority),
			slog.Int("matched_blocks", e.MatchedBlocks), slog.Bool("guarded", e.Guarded))
	case NoCapacity:
		a = append(a, slog.Bool("pinned", e.Pinned))
	case Token:
		a = append(a, slog.Int("tokens", e.Tokens), slog.Bool("first_token", e.FirstToken),
			slog.Int64("first_token_ms", e.FirstTokenMs))
	case Retried:
		a = append(a, slog.Int("attempt", e.Attempt), slog.Int64("delay_ms", e.DelayMs))
	case Completed:
		a = append(a, slog.Int("tokens_in", e.TokensIn), slog.Int("tokens", e.Tokens))
	case Expired:
		a = append(a, slog.Int64("ttl_ms", e.TTLMs), slog.Int("attempt", e.Attempt))
	case Preempted:
		a = append(a, slog.String("preempted_by", e.PreemptedBy), slog.Int("attempt", e.Attempt),
			slog.Int("tokens", e.Tokens))
	}
	switch e.Kind {
	case Admitted, Dropped, Dispatched, Canceled, Expired:
		a = append(a, slog.Int("queue_depth", e.QueueDepth), slog.Int("class_depth", e.ClassDepth))
	}
	if s := e.Sample; s != nil {
		a = append(a,
			slog.Float64("gpu_utilization", s.GPUUtilization),
			slog.Int64("vram_used_bytes", s.VRAMUsedBytes),
			slog.Float64("kv_cache_usage_ratio", s.KVCacheUsage))
	}
	if p := e.Placement; p != nil && len(p.Filtered) > 0 {
		f := make([]any, len(p.Filtered))
		for i, rc := range p.Filtered {
			f[i] = slog.Int(rc.Reason, rc.Count)
		}
		a = append(a, slog.Group("filtered", f...))
	}
	return a
}
