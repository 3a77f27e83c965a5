//go:build mutants

package queue

// mutant selects a deliberately broken behaviour (see mutants.go); only a
// build with the mutants tag has it as a variable.
var mutant int

// SetMutant switches the queue to the broken variant m and returns a
// function that restores the correct one. Tests using it must not run in
// parallel. It exists only in builds with the mutants tag.
func SetMutant(m int) (restore func()) {
	mutant = m
	return func() { mutant = 0 }
}
