// Package repo finds what spec-trace needs in a repository tree: the
// .feature files, the Go modules, and the file and line of Go tests.
//
// Guarantees:
//   - The tree is walked once, in lexical order; directories named
//     testdata, vendor or node_modules, and those starting with "." or "_"
//     (below the root), are skipped, as the go tool does; .specs is the
//     one hidden directory that is read.
//   - A Go package's import path maps to a directory through the longest
//     matching module path of the go.mod files found.
//   - Locate finds `func TestName(` (for a subtest, its top-level test) in
//     the package directory's _test.go files; each directory is read at most
//     once. When nothing matches, the file is empty and the line 0.
package repo
