//go:build mutants

package queue

// Mutants lists the deliberately broken variants the property test must
// catch (run with -tags mutants).
var Mutants = map[string]int{
	"evict-newest":         mutEvictNewest,
	"shed-equal-rank":      mutShedEqual,
	"ignore-pool-capacity": mutNoPoolCap,
	"tenant-order-ignored": mutTenantFIFO,
}
