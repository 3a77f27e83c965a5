//go:build !mutants

package scheduling

// mutants is empty without the mutants build tag: brokenTie is the
// constant false, so the compiler removes the broken tie-break.
type mutants struct{}

func (mutants) brokenTie() bool { return false }
