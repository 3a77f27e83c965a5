// Package guardrails checks a request before it is enqueued: context
// length (OC-CORE-1020), per-request token budget (OC-CORE-1021) and
// per-session budgets of tokens, wall time and cost (OC-CORE-1023), and
// reports what budget remains with every decision (OC-CORE-1024).
//
// A request needs PromptTokens + MaxNewTokens tokens. Admission reserves
// that worst case on the session; [Sessions.Settle] replaces it with what
// the job really used and refunds the difference. Cost is tokens times
// CostPerTokenMicros. The wall time of a session is the sum, over its
// requests, of the time from admission to settlement; requests still open
// count up to now. Time is an int64 millisecond value from the caller's
// injected clock.
//
// Guarantees:
//   - Nothing is truncated: a request that does not fit is refused with a
//     *Refusal naming the budget, its limit and what was requested.
//   - Checks run in a fixed order and the first failure is reported:
//     ctx_max (CTX_EXCEEDED), max_request_tokens (TOKEN_BUDGET_EXCEEDED),
//     then the session's tokens, wall_ms and cost_micros
//     (BUDGET_EXCEEDED).
//   - A request without a session id is subject to the per-request checks
//     only.
//   - A limit <= 0 is not configured and never refuses; its remaining
//     amount reads [Unlimited].
//   - Every decision, admitted or refused, carries the session's Remaining
//     budget; a refusal charges nothing.
//   - Deterministic: no clock, randomness or map order is read; sums are
//     saturating, so no overflow turns a refusal into an admission.
//   - The zero Sessions is a ledger with no budget configured, ready to
//     use.
//   - Sessions is not safe for concurrent use; its owner serializes.
package guardrails
