package seed

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the PRNG of the named stream under root.
func Stream(root uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	k := h.Sum64()
	return rand.New(rand.NewPCG(mix(root^k), mix(k+0x632be59bd9b4e019)))
}

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
