// Package golden compares test output with files under testdata and
// rewrites them when tests run with -update.
//
// Guarantees:
//   - Check fails the test with a line diff when the output differs.
//   - With -update the file is rewritten and the test still passes; review
//     the change with git diff before committing it.
package golden
