package determinism

import "hash/fnv"

// Seed is the seed a job runs with.
type Seed struct {
	Value uint64
	// Assigned is true when the core chose the value (the client gave
	// none); it is logged so the job can be replayed.
	Assigned bool
}

// SeedFor applies the seed policy: the client's seed when given,
// otherwise [DefaultSeed](pool, task).
func SeedFor(client uint64, given bool, pool, task string) Seed {
	if given {
		return Seed{Value: client}
	}
	return Seed{Value: DefaultSeed(pool, task), Assigned: true}
}

// DefaultSeed is FNV-1a 64 of pool + 0x00 + task.
func DefaultSeed(pool, task string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(pool))
	h.Write([]byte{0})
	h.Write([]byte(task))
	return h.Sum64()
}
