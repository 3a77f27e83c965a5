// Package churn is a map for tables whose keys keep changing while their
// size stays bounded. Go's maps do not give back the room of deleted
// entries under such churn: a map holding 10,000 entries whose keys are
// replaced ten million times grows by about half (measured with Go 1.26).
// A Map copies its entries into a fresh map once the deletions since the
// last copy exceed its size (and a floor), which costs O(1) amortized per
// deletion and keeps the memory proportional to the live entries.
//
// Guarantees:
//   - Get, Set and Delete behave as on a plain map; the copy changes no
//     entry, so nothing that reads the Map sees it. (The copy iterates
//     the old map; no decision ever depends on that order.)
//   - Memory is O(live entries + floor), whatever the number of
//     deletions.
//   - The zero Map is empty and ready to use. Not safe for concurrent
//     use.
package churn

// floor is the fewest deletions between two copies, so that small maps
// are not copied on every few deletions.
const floor = 1024

// Map is a map[K]V that rebuilds itself under churn.
type Map[K comparable, V any] struct {
	m    map[K]V
	dels int
}

// Len returns the number of entries.
func (c *Map[K, V]) Len() int { return len(c.m) }

// Get returns the value of k.
func (c *Map[K, V]) Get(k K) (V, bool) {
	v, ok := c.m[k]
	return v, ok
}

// Set sets k to v.
func (c *Map[K, V]) Set(k K, v V) {
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
}

// Delete removes k, copying the map when deletions have piled up.
func (c *Map[K, V]) Delete(k K) {
	if _, ok := c.m[k]; !ok {
		return
	}
	delete(c.m, k)
	if c.dels++; c.dels > max(len(c.m), floor) {
		fresh := make(map[K]V, len(c.m))
		for k, v := range c.m {
			fresh[k] = v
		}
		c.m, c.dels = fresh, 0
	}
}
