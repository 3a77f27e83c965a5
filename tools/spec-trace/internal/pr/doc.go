// Package pr writes the pull-request report: a comparison of a base and a
// head spec-trace report, sized for one sticky review comment.
//
// Guarantees:
//   - The report starts with the hidden Marker line, so a CI job finds and
//     updates its own comment instead of adding one per push.
//   - Then a base | head | change table per level, then what got worse
//     (newly failing, no longer proven, stale, flaky, expired waivers),
//     each item with its rule text and spec file:line, then the
//     requirements whose spec line or tests changed.
//   - The whole is never longer than render.MaxMarkdown bytes (so
//     characters): whole sections are dropped last-first, then items of
//     the last section left, each time with a line saying how many items
//     were left out and where to find them.
//   - Annotations are at most MaxAnnotations GitHub workflow commands
//     (::error file=...,line=...::) for the worst items, worst first.
//   - Output is a pure function of the two reports.
package pr
