// Package promexport reports the orchestrator core's events as Prometheus
// metrics: an [observe.Observer] built on client_golang.
//
// Every collector is built from the metrics contract
// (orchcore.dev/contracts/metrics): names, types, help, label names and
// histogram buckets come from the contract data, and [New] refuses a
// contract whose metrics differ from the ones the exporter feeds, so the
// exposition cannot drift from the contract.
//
// Guarantees:
//   - Collectors are registered on the Registerer passed to [New], never on
//     the global registry; a registration conflict is returned as an error.
//   - Each label of each metric carries at most its budget of distinct
//     values; later values are folded into the contract's fold value
//     (__other__) and counted by metrics_label_overflow_total{metric, label},
//     whose series start at zero for every metric and label.
//   - Observe is safe for concurrent use by several pools and never calls
//     back into the core; it does not panic on odd events (negative counts
//     are ignored, a Replica event without a sample does nothing).
//   - admission_share is computed here from the admitted and dispatched
//     events seen since the exporter started: a class's count over the
//     pool's count, per stage. The dispatched stage counts a task's first
//     dispatch only (Attempt <= 1), as the core's Stats().DispatchShare
//     does; retries do not move it.
//   - tokens_out_total counts Token events' Tokens; tokens_in_total counts
//     Completed events' TokensIn; latency_first_token_ms takes the
//     FirstTokenMs of the Token event that carries a job's first token
//     (FirstToken, so 0 ms is observed; a positive FirstTokenMs without the
//     flag counts too); latency_decode_ms a Completed event's DecodeTimeMs.
//   - queue_depth follows the class depth the core reports on admitted,
//     dropped, dispatched and canceled events, and on rejected events of a
//     class whose gauge already exists (a pinned task refused at placement
//     leaves its queue); a refusal at admission opens no series.
//   - tasks_started_total counts every Dispatched event: jobs, retries
//     included, as the contract's help says.
package promexport
