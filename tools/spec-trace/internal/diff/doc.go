// Package diff compares two spec-trace JSON reports.
//
// Guarantees:
//   - Newly failing: failing now and not failing before (including
//     requirements added as failing).
//   - Newly unproven: proven before and partial or unproven now, or
//     referenced before (partial, failing) and unproven now.
//   - Newly proven: proven now, present before and not proven then.
//   - Added and removed: IDs present in only one report.
//   - Regressed is true exactly when something is newly failing or newly
//     unproven, or a removed requirement was a MUST or was proven; every
//     list is sorted by ID.
package diff
