// Package cli is the detsuite command line: flag parsing, wiring engines,
// corpus, suite, transcripts and reports, and the exit codes.
//
// Guarantees:
//   - run and replay exit 0 only when every stream is byte-exact with every
//     token id known; 1 on any divergence, or when some stream's ids are
//     not all known (result INCOMPLETE); 2 on usage, corpus, transcript, connection or protocol
//     errors (naming the URL or file and what was wrong); 130 when the
//     context is canceled (SIGINT/SIGTERM in main).
//   - The same --engine URL given twice (after normalising scheme, host,
//     default port and trailing slash) is a usage error naming it: one
//     replica cannot stand for two.
//   - A transcript is written only after a complete run; an interrupted or
//     failed run leaves none.
//   - The progress line goes to stderr only when the caller says stderr is
//     a terminal; stdout carries only the report.
//   - Replicas the command started are stopped before it returns.
//   - Seeds outside the API's range are refused before any request; replay
//     refuses a recording of engines it did not start unless --engine
//     names the engines to replay against.
//   - --wait polls /health until ready; a 503 (llama.cpp's Loading model)
//     is waited out, and is an error without --wait.
//   - "help", -h and --help, for detsuite and for each command, print to
//     stdout and exit 0: every flag with what it does and its default
//     (generated from the flag sets, so it cannot drift), and the exit
//     codes. A usage error exits 2 with the reason and a hint on stderr,
//     and nothing on stdout.
package cli
