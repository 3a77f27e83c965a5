// Package containers holds the determinism suite's container test: two
// reference-engine containers, built locally FROM scratch from a static
// binary, checked byte-exact by the suite.
//
// Guarantees:
//   - The test builds everything it runs (binary and image); it needs no
//     registry and no image built beforehand.
//   - It binds the containers' ports on 127.0.0.1 only, uses an auth token
//     (the engine requires one for its non-loopback bind inside the
//     container), and removes its containers and image when it ends.
//   - It skips, saying why, only when no Docker engine answers.
package containers
