package queue

// Deliberately broken variants ("mutants") that the property tests must
// catch. The switch, mutant, is a variable only in a build with the
// `mutants` tag (mutants_on.go); in every other build it is the untyped
// constant 0 (mutants_off.go), so each branch on it is constant false and
// the compiler removes it: no production build can select a fault.
const (
	mutEvictNewest = iota + 1 // evict the newest task instead of the oldest
	mutShedEqual              // shed-low-priority may evict its own rank
	mutNoPoolCap              // ignore the pool capacity
	mutTenantFIFO             // serve round-robin classes in arrival order
)
