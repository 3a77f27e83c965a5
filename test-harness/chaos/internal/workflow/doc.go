// Package workflow holds the test that lints the nightly chaos workflow
// (.github/workflows/nightly-chaos.yml) with actionlint used as a
// library, and shows the lint can fail.
package workflow
