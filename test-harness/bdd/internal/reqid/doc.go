// Package reqid reads requirement IDs: the ones a spec defines and the ones
// a feature's tags name.
//
// Guarantees:
//   - An ID is PREFIX-NNNN where PREFIX is upper-case words joined by '-'
//     (OC-CORE-1002, OC-METRICS-7101).
//   - A range PREFIX-NNNN..MMMM expands to every ID from NNNN to MMMM
//     inclusive; a reversed or malformed range is an error, never silently
//     empty.
//   - [Defined] reads only bracketed IDs at the start of a list item
//     ("- [OC-CORE-1001] MUST — ..."), so a spec that mentions another
//     requirement in prose does not define it.
//   - Results are sorted and free of duplicates.
package reqid
