// Package history is the chaos run's record: one JSON object per line
// (JSONL), every core lifecycle event, fault start/end/verification,
// replica observation and client cancel, each with a sequence number and
// the monotonic milliseconds since the run started.
//
// Guarantees:
//   - Records are written in one total order: Writer.Add takes one mutex,
//     assigns the next sequence number and writes the line before it
//     returns, so a caller that holds its own lock while adding (the
//     dispatcher does, around snapshots and observations) gets records in
//     the order of its decisions.
//   - Every line is flushed to the file as it is written: a crashed run
//     leaves a readable prefix, at worst with a last partial line.
//   - The first record is the run header (KindRun) and a complete history
//     ends with a KindEnd record; Read reports a history without it as
//     Truncated, never as complete.
//   - Read names the line (counted from 1) of a record that does not
//     parse; a partial last line (no newline) counts as truncation, not as
//     a parse error.
package history
