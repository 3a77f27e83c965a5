// Package fairness decides which priority class the next dispatch serves,
// and counts the shares each class gets.
//
// Guarantees:
//   - Strict always serves the highest-ranked backlogged class. Lower
//     classes starve while a higher one stays backlogged (documented, as
//     OC-CORE-1006 asks).
//   - Weighted (the default) bounds every backlogged class's wait: with W
//     the sum of the weights of all configured classes and
//     P(k) = ceil(W/weight_k), each window of P(k) dispatches during which
//     class k stays backlogged serves k at least once (windows as defined
//     on [Weighted]), and shares follow the weights exactly up to a
//     constant: while the backlog set B (m classes, weights summing to
//     W_B) stays the same, after D dispatches class k has more than
//     D·w_k/W_B − 2(m−1) and fewer than D·w_k/W_B + 2 (OC-CORE-1006, 1007).
//   - Tokens (weighted-tokens) shares dispatched tokens by weight: within
//     a run, with S tokens dispatched and C the largest cost, class k got
//     between w_k·S/W_B − m·C·w_k/W_B and w_k·S/W_B + C tokens
//     (OC-CORE-1052). It is a CostPicker: the Pool commits each dispatch
//     with its task's cost.
//   - Decisions use integer arithmetic only and depend on nothing but the
//     sequence of backlogs; ties go to the higher rank. No clock, no
//     randomness, no map iteration.
//   - Peek is pure; Commit records a dispatch, so a dispatch whose
//     placement fails leaves the fairness state untouched.
//   - Shares counts admissions and dispatches per class and reports each
//     class's fraction (the admission_share gauge, OC-CORE-1007).
//   - Every constructor refuses 0 or more than 64 classes and weights
//     outside 1..MaxWeight (1,000,000), so the sum of the weights stays
//     far below int64 overflow and no period is 0.
//   - A class index out of range never panics: Period and the Shares
//     readers return 0 and Shares ignores it.
//   - Nothing here is safe for concurrent use; the Pool serializes access.
package fairness
