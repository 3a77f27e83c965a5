// Package render turns a model.Report into the report formats.
//
// Guarantees:
//   - Every format is rendered from the same model.Report and nothing else,
//     so the formats never disagree; output is deterministic.
//   - Attention lists stale requirements first, then failing ones, MUSTs
//     not proven, gate findings, unknown IDs, problems, flaky ones, other
//     levels not proven and waived ones.
//   - Summary is short enough for a review comment: one table of counts per
//     level, then at most MaxAttention lines naming what needs attention,
//     then the one-line total `requirements: N proven, N failing, N partial,
//     N unproven`. It is plain text for the terminal: titles and notes
//     appear as written.
//   - Markdown is the summary followed by every requirement, grouped by
//     area, with its rule text, inside a collapsible block; there |, < and
//     > in titles, names and notes are escaped. It never exceeds
//     MaxMarkdown bytes: when the whole would not fit, the tests become
//     counts per kind, then the rule is shortened, then dropped, and as a
//     last resort the list stops with a line saying how many requirements
//     were left out (the HTML and JSON hold everything).
//   - JSON is the model itself, indented, with its schema version.
//   - JUnit XML has one testsuite per area and one testcase per
//     requirement: failing requirements and MUSTs that are not proven are
//     failures, waived ones and other unproven or partial ones are
//     skipped. A further testsuite, "spec-trace problems", holds one
//     failing testcase per unknown ID, per gate finding (an expired
//     waiver) and per problem (build or package failure, failing test
//     that references nothing), so the XML is red whenever --strict is.
//   - HTML is one self-contained page (inline CSS and JS, no external
//     assets) with filters by area, level, status and text; each
//     requirement shows its rule collapsed and its tests grouped by kind
//     and parent test with file:line, status and attempts; with a history
//     it shows how often and when last each requirement was proven and an
//     SVG trend. It stays readable without JavaScript.
package render
