package scheduling_test

// simCache is one simulated engine's KV prefix cache. It copies vLLM's
// automatic prefix caching as in its V1 engine, the default since vLLM
// 0.8 (KVCacheManager and BlockPool):
//
//   - a fixed pool of blocks; every block not in use by a running request
//     sits in one free queue, least recently used at its head;
//   - a new block is taken from the head of the free queue, and if that
//     block still holds a cached hash the hash is evicted (whole blocks
//     only);
//   - a cache hit on a block in the free queue takes it out of the queue
//     (it is in use again) and counts a reference;
//   - a finished request frees its blocks in reverse order, so its tail
//     joins the queue first and is evicted before its head.
//
// Unlike vLLM, a job takes all its blocks (prompt and reply) when it
// starts, and when no block is free the rest of its chain is simply not
// cached (vLLM would preempt or wait); fails counts those blocks.
type simCache struct {
	at         *simTable[int32] // cached hash -> block
	bs         []simBlock
	head, tail int32 // free queue, -1 when empty
	fails      int
	// evicted, when not nil, hears of every hash that leaves the cache,
	// added of every hash that enters it.
	evicted, added func(uint64)
}

type simBlock struct {
	h          uint64 // 0: holds nothing
	ref        int32
	prev, next int32 // free-queue neighbours, -1 at the ends
	queued     bool
}

func newSimCache(blocks int) *simCache {
	c := &simCache{at: newSimTable[int32](blocks), bs: make([]simBlock, blocks), head: -1, tail: -1}
	for i := range c.bs {
		c.push(int32(i))
	}
	return c
}

// hit returns how many leading blocks of chain the cache holds.
func (c *simCache) hit(chain []uint64) int {
	for i, h := range chain {
		if _, ok := c.at.Get(h); !ok {
			return i
		}
	}
	return len(chain)
}

// acquire pins the blocks of chain for a starting job, caching the ones
// missing, and appends the pinned blocks to held.
func (c *simCache) acquire(chain []uint64, held []int32) []int32 {
	for i, h := range chain {
		b, ok := c.at.Get(h)
		if !ok {
			if c.head < 0 {
				c.fails += len(chain) - i
				return held
			}
			b = c.head
			c.unlink(b)
			if old := c.bs[b].h; old != 0 {
				c.at.Delete(old)
				if c.evicted != nil {
					c.evicted(old)
				}
			}
			c.bs[b].h = h
			c.at.Set(h, b)
			if c.added != nil {
				c.added(h)
			}
		} else if c.bs[b].queued {
			c.unlink(b)
		}
		c.bs[b].ref++
		held = append(held, b)
	}
	return held
}

// release unpins a finished job's blocks, tail first.
func (c *simCache) release(held []int32) {
	for i := len(held) - 1; i >= 0; i-- {
		b := held[i]
		if c.bs[b].ref--; c.bs[b].ref == 0 {
			c.push(b)
		}
	}
}

func (c *simCache) push(b int32) {
	c.bs[b].prev, c.bs[b].next, c.bs[b].queued = c.tail, -1, true
	if c.tail >= 0 {
		c.bs[c.tail].next = b
	} else {
		c.head = b
	}
	c.tail = b
}

func (c *simCache) unlink(b int32) {
	x := &c.bs[b]
	if x.prev >= 0 {
		c.bs[x.prev].next = x.next
	} else {
		c.head = x.next
	}
	if x.next >= 0 {
		c.bs[x.next].prev = x.prev
	} else {
		c.tail = x.prev
	}
	x.prev, x.next, x.queued = -1, -1, false
}
