// Package report turns a checked history into the run's report:
// report.json (versioned, machine-readable), report.md (fits a PR
// comment) and report.html (one self-contained page with SVG charts:
// throughput and latency quantiles per class over time with the fault
// windows shaded, queue depth per class, and the verdict table).
//
// Guarantees:
//   - Everything is computed from the history and the verdicts, so
//     `chaos check` rebuilds the same report from a saved run.
//   - Each file is written to a temporary name and renamed, so a report
//     file is either whole or absent.
//   - A run that was interrupted or whose history is cut short is marked
//     incomplete in all three files.
package report
