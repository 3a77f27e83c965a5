//go:build !mutants

package queue

// mutant is 0 without the mutants tag: every fault branch is dead code.
const mutant = 0
