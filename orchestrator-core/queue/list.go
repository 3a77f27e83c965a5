package queue

// push appends it to the tail of class list ci, reusing a free node when
// there is one.
func (q *Queue[T]) push(ci int, it Item[T]) { q.insert(ci, it, false) }

// insert links it into class list ci: at the tail, or at the head (a task
// put back) when front is set.
func (q *Queue[T]) insert(ci int, it Item[T], front bool) {
	x := q.free
	if x != none {
		q.free = q.nodes[x].next
	} else {
		q.nodes = append(q.nodes, node[T]{})
		x = int32(len(q.nodes) - 1)
	}
	l := &q.lists[ci]
	h := q.ids.hash(it.ID)
	switch {
	case front:
		q.nodes[x] = node[T]{item: it, prev: none, next: l.head, h: h, back: true}
		if l.head != none {
			q.nodes[l.head].prev = x
		} else {
			l.tail = x
		}
		l.head = x
		l.back++
	default:
		q.nodes[x] = node[T]{item: it, prev: l.tail, next: none, h: h}
		if l.tail != none {
			q.nodes[l.tail].next = x
		} else {
			l.head = x
		}
		l.tail = x
	}
	l.n++
	l.tokens += it.Cost
	q.total++
	q.tokens += it.Cost
	q.ids.insert(h, x)
	q.quota.queued(it.Tenant, +1)
	if q.classes[ci].TenantOrder == TenantRoundRobin {
		q.join(x, front)
	}
}

// remove unlinks node x from its class list (and its tenant group), frees
// it and returns its item.
func (q *Queue[T]) remove(x int32) Item[T] { return q.take(x, false) }

// take is remove; served says x leaves by a dispatch, which moves a
// round-robin class's rotation on.
func (q *Queue[T]) take(x int32, served bool) Item[T] {
	if q.classes[q.nodes[x].item.Class].TenantOrder == TenantRoundRobin {
		q.leave(x, served)
	}
	n := &q.nodes[x]
	it := n.item
	l := &q.lists[it.Class]
	if n.prev != none {
		q.nodes[n.prev].next = n.next
	} else {
		l.head = n.next
	}
	if n.next != none {
		q.nodes[n.next].prev = n.prev
	} else {
		l.tail = n.prev
	}
	l.n--
	if n.back {
		l.back--
	}
	l.tokens -= it.Cost
	q.total--
	q.tokens -= it.Cost
	q.ids.remove(n.h, x)
	q.quota.queued(it.Tenant, -1)
	*n = node[T]{prev: none, next: q.free, group: none, tprev: none, tnext: none} // drop references for the GC
	q.free = x
	return it
}
