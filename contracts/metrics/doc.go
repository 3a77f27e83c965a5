// Package metrics is the orchestrator's metrics contract as data.
//
// The contract lives in contract.yaml, embedded into this package: every
// metric's name, type, unit, labels and histogram buckets, the cardinality
// budget of every label, the fold rule for values beyond a budget, and the
// metric names allowed to keep a non-base unit. Exporters build their
// collectors from it; tests lint a live registry against it with
// [Contract.Conform] and [Contract.WithinBudgets]; the spec table is
// rendered from it by [Contract.Markdown].
//
// Guarantees:
//   - [Load] returns a contract only if it passes [Contract.Validate]: names
//     are snake_case and unique, types are counter, gauge or histogram,
//     counters (and only counters) end in _total, histogram buckets are
//     finite and strictly increasing, and every label has a budget.
//   - Non-base unit names (such as _ms) appear only where the contract lists
//     them as unit exceptions, each with its reason.
//   - Values beyond a label's budget are folded into [Fold.Value] and counted
//     by the [Fold.Metric] self-metric; the budget never includes the fold
//     value, so one metric carries at most budget+1 values of a label.
//   - The checkers report every problem they find, never just the first, and
//     list them in a stable order.
package metrics
