// Command detsuite is the determinism suite's command line.
//
//	detsuite run    [--engine URL ... | --replicas N] [--api llamacpp|openai]
//	                [--seeds FILE] [--prompts FILE] [--n-predict N]
//	                [--concurrency N] [--record DIR] [--json]
//	detsuite replay --transcripts DIR [--engine URL ...] [--json]
//	detsuite help [run|replay]
//
// Guarantees:
//   - Exit 0 when every stream is byte-exact, 1 on any divergence, 2 on
//     usage, connection or protocol errors, 130 on SIGINT or SIGTERM.
//   - help, -h and --help (also after run or replay) print every flag with
//     its default and the exit codes to stdout and exit 0; usage errors go
//     to stderr only.
//   - SIGINT/SIGTERM stop the run cleanly: in-flight requests are canceled,
//     started replicas are stopped, and no transcript is left behind.
//   - The progress line appears only when stderr is a terminal.
package main
