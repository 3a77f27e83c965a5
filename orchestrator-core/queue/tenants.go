package queue

// TenantOrder is how a class orders its tasks across tenants
// (OC-CORE-1053).
type TenantOrder uint8

// Tenant orders. The zero value is TenantFIFO.
const (
	// TenantFIFO keeps arrival order across tenants.
	TenantFIFO TenantOrder = iota
	// TenantRoundRobin serves the tenants with queued tasks in turn, one
	// task each, FIFO within a tenant; a tenant that becomes active joins
	// at the end of the current rotation.
	TenantRoundRobin
)

var tenantOrderNames = [...]string{TenantFIFO: "fifo", TenantRoundRobin: "round-robin"}

// String returns the configuration spelling of o.
func (o TenantOrder) String() string {
	if int(o) < len(tenantOrderNames) {
		return tenantOrderNames[o]
	}
	return "unknown"
}

// ParseTenantOrder maps a configuration spelling to a TenantOrder; the
// empty string is TenantFIFO.
func ParseTenantOrder(s string) (TenantOrder, error) {
	switch s {
	case "", "fifo":
		return TenantFIFO, nil
	case "round-robin":
		return TenantRoundRobin, nil
	}
	return 0, errorf(Invalid, "unknown tenant order %q", s)
}

// group is one tenant's queued tasks in one round-robin class: a FIFO
// over the node arena (through node.tprev/tnext) and a place in the
// class's ring of active tenants (through prev/next). A free group is on
// the free list through next.
type group struct {
	key        groupKey
	head, tail int32
	prev, next int32
}

type groupKey struct {
	class  int
	tenant string
}

// ring is a round-robin class's rotation: the group served next, or none.
type ring struct{ cur int32 }

// join appends node x (of a round-robin class) to its tenant's group,
// creating the group and putting it at the end of the rotation when the
// tenant had nothing queued in the class. With front, x goes to the head
// of its group instead and the group takes the current turn.
func (q *Queue[T]) join(x int32, front bool) {
	it := &q.nodes[x].item
	k := groupKey{it.Class, it.Tenant}
	g, ok := q.groupOf[k]
	if !ok {
		g = q.newGroup(k)
		r := &q.rings[it.Class]
		if r.cur == none {
			q.groups[g].prev, q.groups[g].next, r.cur = g, g, g
		} else { // just before cur: the end of the current rotation
			cur := &q.groups[r.cur]
			q.groups[g].prev, q.groups[g].next = cur.prev, r.cur
			q.groups[cur.prev].next = g
			cur.prev = g
		}
	}
	n, gr := &q.nodes[x], &q.groups[g]
	if front {
		n.group, n.tprev, n.tnext = g, none, gr.head
		if gr.head != none {
			q.nodes[gr.head].tprev = x
		} else {
			gr.tail = x
		}
		gr.head = x
		q.turn(it.Class, g)
		return
	}
	n.group, n.tprev, n.tnext = g, gr.tail, none
	if gr.tail != none {
		q.nodes[gr.tail].tnext = x
	} else {
		gr.head = x
	}
	gr.tail = x
}

// turn makes group g of class ci the current one: it moves to just
// before the current group, so once served the rotation goes on where it
// was.
func (q *Queue[T]) turn(ci int, g int32) {
	r := &q.rings[ci]
	if r.cur == g {
		return
	}
	gr := &q.groups[g]
	q.groups[gr.prev].next, q.groups[gr.next].prev = gr.next, gr.prev // unlink
	cur := &q.groups[r.cur]
	gr.prev, gr.next = cur.prev, r.cur
	q.groups[cur.prev].next = g
	cur.prev = g
	r.cur = g
}

// leave unlinks node x from its tenant's group, dropping the group from
// the rotation when it empties. advance moves the rotation on when x was
// served from the current group (a dispatch), so the next tenant is next.
func (q *Queue[T]) leave(x int32, advance bool) {
	n := &q.nodes[x]
	g := n.group
	gr := &q.groups[g]
	if n.tprev != none {
		q.nodes[n.tprev].tnext = n.tnext
	} else {
		gr.head = n.tnext
	}
	if n.tnext != none {
		q.nodes[n.tnext].tprev = n.tprev
	} else {
		gr.tail = n.tprev
	}
	r := &q.rings[gr.key.class]
	if gr.head == none { // empty: out of the rotation
		if gr.next == g {
			r.cur = none
		} else {
			q.groups[gr.prev].next, q.groups[gr.next].prev = gr.next, gr.prev
			if r.cur == g {
				r.cur = gr.next
			}
		}
		delete(q.groupOf, gr.key)
		*gr = group{next: q.freeGroup, head: none, tail: none}
		q.freeGroup = g
		return
	}
	if advance && r.cur == g {
		r.cur = gr.next
	}
}

func (q *Queue[T]) newGroup(k groupKey) int32 {
	g := q.freeGroup
	if g != none {
		q.freeGroup = q.groups[g].next
	} else {
		q.groups = append(q.groups, group{})
		g = int32(len(q.groups) - 1)
	}
	q.groups[g] = group{key: k, head: none, tail: none}
	q.groupOf[k] = g
	return g
}

// front is the node Dequeue takes from class i: the head of the class
// FIFO, or under round robin the oldest task of the tenant whose turn it
// is.
func (q *Queue[T]) front(i int) int32 {
	if q.classes[i].TenantOrder == TenantRoundRobin && mutant != mutTenantFIFO {
		if c := q.rings[i].cur; c != none {
			return q.groups[c].head
		}
		return none
	}
	return q.lists[i].head
}
