// Command gen writes the speed-benchmark repository (10,000 requirements,
// 50,000 tests and, by default, about 200 MB of go test -json; an optional
// second argument sets the size in MB) into a directory, so that the
// spec-trace binary can be timed on it:
//
//	go run ./internal/benchgen/gen /tmp/big
//	/usr/bin/time -v spec-trace --root /tmp/big --results /tmp/big/go.json --out /tmp/big/out
//
// Guarantees:
//   - It only writes inside DIR, through benchgen.Write, and prints the
//     stream's path and size.
package main
