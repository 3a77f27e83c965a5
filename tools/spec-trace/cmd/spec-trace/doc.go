// Command spec-trace maps the requirements in .specs/ to the tests that
// prove them, writes coverage reports and gates CI; run it with --help.
//
// Guarantees:
//   - All behaviour lives in internal/cli; this command only passes the
//     arguments and standard streams to cli.Main and exits with its code
//     (0 ok, 1 a gate failed, 2 bad usage or unreadable input).
package main
