// Package history keeps one small JSON file per spec-trace run in a
// directory and summarizes the last runs for the HTML report.
//
// Guarantees:
//   - A run file is named run-YYYYMMDDTHHMMSSZ[-N].json and holds the
//     schema Schema, the time, the commit when known, the counts and the
//     IDs per status; files are written whole (temp file and rename) and
//     never rewritten.
//   - Files of another name, and run files that do not parse or carry
//     another schema, are ignored with a note; they never fail the run.
//   - Summarize is a pure function of the runs: per requirement the
//     newest run that proved it and in how many of the runs it was
//     proven, and the counts per run for the trend.
package history
