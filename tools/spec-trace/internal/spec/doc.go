// Package spec reads requirement definitions from the Markdown files under
// a repository's .specs directory.
//
// Guarantees:
//   - A requirement line is a Markdown line outside fenced code whose text,
//     after list, quote, heading, table and emphasis markers, starts with a
//     bracketed ID such as [OC-CORE-1001] or a range [OC-CORE-1001..1005];
//     a range defines every ID in it.
//   - The level is the first RFC 2119 keyword on the line: MUST, MUST NOT,
//     SHALL, SHALL NOT and REQUIRED give MUST; SHOULD, SHOULD NOT,
//     RECOMMENDED and NOT RECOMMENDED give SHOULD; MAY and OPTIONAL give MAY.
//   - The title is the text after the ID (and after the level when the level
//     comes first) up to the first sentence end.
//   - A bracketed ID line without a level is only a mention when the same ID
//     is defined elsewhere; otherwise it is an error. An ID defined twice is
//     an error naming both places.
//   - Fenced code follows CommonMark: a fence is three or more backticks
//     or tildes indented at most three spaces, and it closes only with the
//     same character, at least as many, and nothing after. A fence still
//     open at the end of a file is an error naming the line it opened on,
//     since it would hide every requirement after it.
//   - Every error carries the file (relative to the root) and line; all
//     errors are reported, not only the first.
package spec
