package queue

// Mutants lists the deliberately broken variants the property test must
// catch.
var Mutants = map[string]int{
	"evict-newest":         mutEvictNewest,
	"shed-equal-rank":      mutShedEqual,
	"ignore-pool-capacity": mutNoPoolCap,
	"tenant-order-ignored": mutTenantFIFO,
}

// SetMutant switches the queue to a broken variant and returns a function
// that restores the correct one. Tests using it must not run in parallel.
func SetMutant(m int) (restore func()) {
	mutant = m
	return func() { mutant = 0 }
}
