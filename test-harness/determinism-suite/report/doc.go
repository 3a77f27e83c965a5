// Package report renders a determinism-suite outcome for people and for
// programs.
//
// Guarantees:
//   - JSON output has a fixed schema tag ("detsuite-report/1"), fixed field
//     names, and lists (divergences, warnings, engines) that are never null,
//     so a consumer can rely on its shape; fields are only ever added.
//   - Human output names, for each divergence, the seed, the prompt, the
//     replica and its URL, the baseline, the first differing token index
//     and both continuations with the common context before it.
//   - Human output lists at most MaxHuman divergences and says how many
//     more there are; JSON lists all of them.
//   - After an error or interrupt the report is Incomplete: Trials and
//     Streams count what completed (PlannedTrials what was planned), the
//     divergences found before the stop are kept, and the human summary
//     says "INCOMPLETE, N of M planned trials completed".
//   - A run without divergences in which some stream's ids are not all
//     known has result "incomplete" (INCOMPLETE, exit 1), lists each such
//     stream with why, and counts the trials in incomplete_trials.
//   - Exit codes: 0 byte-exact, 1 divergent or incomplete, 2 usage,
//     connection or protocol error, 130 interrupted.
package report
