package queue

import (
	"cmp"
	"slices"
)

// none marks the end of a list.
const none int32 = -1

// MaxClasses is the largest number of classes a queue accepts, so that the
// set of backlogged classes fits in a uint64 (see [Queue.Backlog]).
const MaxClasses = 64

// node is one slot of the node arena. A live node is linked into its
// class list through prev and next; a free node is linked into the free
// list through next.
type node[T any] struct {
	item       Item[T]
	prev, next int32
	// Under round robin: the tenant group and the links within it.
	group, tprev, tnext int32
	h                   uint32 // the id's hash in the id index
	back                bool   // put back with PushFront
}

// fifo is an intrusive doubly linked list of arena indices, with the
// summed token cost of its items.
type fifo struct {
	head, tail int32
	n          int
	back       int // tasks put back with PushFront, all at the front
	tokens     int64
}

// Queue is a set of bounded per-class FIFOs sharing a pool capacity. It is
// not safe for concurrent use; the Pool guards it with its mutex.
//
// Tasks live in an arena ([]node) linked into one list per class; freed
// nodes go to a free list and are reused, so a steady state allocates
// nothing. An id index (ids, index.go: id -> arena slot) serves lookups for
// cancel and duplicate checks; it is never iterated.
type Queue[T any] struct {
	classes []Class // by rank, highest first
	byName  map[string]int
	lists   []fifo
	nodes   []node[T]
	free    int32
	ids     ids
	total   int
	tokens  int64 // summed cost of every queued task
	cap     int
	capTok  int64
	policy  Policy
	quota   quotas
	evicted []Item[T] // Outcome.Evicted, reused
	// Round-robin classes: tenant groups over the arena, by key, with a
	// free list, and each class's rotation.
	groups    []group
	groupOf   map[groupKey]int32
	freeGroup int32
	rings     []ring
}

// New returns an empty queue. Classes are ordered by rank, highest first;
// every class index used by the queue refers to that order.
func New[T any](cfg Config) (*Queue[T], error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	cs := slices.Clone(cfg.Classes)
	slices.SortStableFunc(cs, func(a, b Class) int { return cmp.Compare(b.Rank, a.Rank) })
	q := &Queue[T]{
		classes:   cs,
		byName:    make(map[string]int, len(cs)),
		lists:     make([]fifo, len(cs)),
		free:      none,
		ids:       newIDs(),
		cap:       cfg.Capacity,
		capTok:    cfg.CapacityTokens,
		policy:    cfg.Policy,
		quota:     newQuotas(cfg.Quotas),
		groupOf:   map[groupKey]int32{},
		freeGroup: none,
		rings:     make([]ring, len(cs)),
	}
	for i, c := range cs {
		q.byName[c.Name] = i
		q.lists[i] = fifo{head: none, tail: none}
		q.rings[i] = ring{cur: none}
	}
	return q, nil
}

func validate(cfg Config) error {
	if len(cfg.Classes) == 0 || len(cfg.Classes) > MaxClasses {
		return errorf(Invalid, "need 1..%d classes, got %d", MaxClasses, len(cfg.Classes))
	}
	if cfg.Capacity < 0 {
		return errorf(Invalid, "negative pool capacity %d", cfg.Capacity)
	}
	if cfg.CapacityTokens < 0 {
		return errorf(Invalid, "negative pool token capacity %d", cfg.CapacityTokens)
	}
	if int(cfg.Policy) >= len(policyNames) {
		return errorf(Invalid, "unknown policy %d", cfg.Policy)
	}
	names := map[string]bool{}
	ranks := map[int]bool{}
	for _, c := range cfg.Classes {
		switch {
		case c.Name == "":
			return errorf(Invalid, "class with empty name")
		case names[c.Name]:
			return errorf(Invalid, "duplicate class %q", c.Name)
		case ranks[c.Rank]:
			return errorf(Invalid, "class %q repeats rank %d", c.Name, c.Rank)
		case c.Weight < 1:
			return errorf(Invalid, "class %q weight %d < 1", c.Name, c.Weight)
		case c.Capacity < 1:
			return errorf(Invalid, "class %q capacity %d < 1", c.Name, c.Capacity)
		case int(c.TenantOrder) >= len(tenantOrderNames):
			return errorf(Invalid, "class %q has unknown tenant order %d", c.Name, c.TenantOrder)
		case c.CapacityTokens < 0:
			return errorf(Invalid, "class %q token capacity %d < 0", c.Name, c.CapacityTokens)
		case c.TTLMs < 0:
			return errorf(Invalid, "class %q ttl_ms %d < 0", c.Name, c.TTLMs)
		}
		names[c.Name], ranks[c.Rank] = true, true
	}
	seen := map[string]bool{}
	for _, qu := range cfg.Quotas {
		switch {
		case qu.Tenant == "":
			return errorf(Invalid, "quota with empty tenant")
		case seen[qu.Tenant]:
			return errorf(Invalid, "duplicate quota for %q", qu.Tenant)
		case qu.MaxQueued < 0 || qu.MaxInFlight < 0:
			return errorf(Invalid, "negative quota for %q", qu.Tenant)
		}
		seen[qu.Tenant] = true
	}
	return nil
}

// Classes returns the classes ordered by rank, highest first. The caller
// must not modify the slice.
func (q *Queue[T]) Classes() []Class { return q.classes }

// Class returns the index of the named class.
func (q *Queue[T]) Class(name string) (int, bool) {
	i, ok := q.byName[name]
	return i, ok
}

// Policy returns the admission policy.
func (q *Queue[T]) Policy() Policy { return q.policy }

// Len returns the number of queued tasks.
func (q *Queue[T]) Len() int { return q.total }

// Tokens returns the summed token cost of the queued tasks.
func (q *Queue[T]) Tokens() int64 { return q.tokens }

// ClassLen returns the number of queued tasks of class index i (0 when i
// is out of range).
func (q *Queue[T]) ClassLen(i int) int {
	if i < 0 || i >= len(q.lists) {
		return 0
	}
	return q.lists[i].n
}

// Backlog returns the set of non-empty classes as a bit set: bit i is set
// when class index i has queued tasks. It scans classes, never tasks.
func (q *Queue[T]) Backlog() uint64 {
	var b uint64
	for i := range q.lists {
		if q.lists[i].n > 0 {
			b |= 1 << i
		}
	}
	return b
}

// Get returns the queued task with the given id.
func (q *Queue[T]) Get(id string) (Item[T], bool) {
	x := q.find(id)
	if x == none {
		return Item[T]{}, false
	}
	return q.nodes[x].item, true
}

// Enqueue offers a task of no token cost to the queue; see EnqueueCost.
func (q *Queue[T]) Enqueue(id, class, tenant string, v T) (Outcome[T], error) {
	return q.EnqueueCost(id, class, tenant, 0, v)
}

// EnqueueCost offers a task with the given token cost to the queue. Bad
// input (empty id, unknown class, duplicate id, negative cost) returns an
// *Error and changes nothing. Otherwise the Outcome says whether the task
// was admitted, admitted by evicting other tasks, or refused (the queue is
// then unchanged).
//
// Full means the newcomer would take its class or the pool over a count
// or a token capacity. A newcomer whose cost alone exceeds a token
// capacity is refused with TooLarge under every policy. Otherwise the
// policy decides as OC-CORE-1002 words it, evicting as many tasks as the
// newcomer needs: drop-lru takes the oldest tasks of the newcomer's class
// while that class is over, then the oldest of the lowest-ranked
// non-empty class while the pool is over; shed-low-priority refuses when
// the newcomer's class is over and otherwise takes the oldest tasks of the
// lowest-ranked classes strictly below it, refusing (with nothing
// evicted) when even all of them would not make room. O(1) per evicted
// task: choosing a victim scans classes, never tasks.
func (q *Queue[T]) EnqueueCost(id, class, tenant string, cost int64, v T) (Outcome[T], error) {
	ci, ok := q.byName[class]
	if !ok {
		return Outcome[T]{}, errorf(UnknownClass, "unknown class %q", class)
	}
	if id == "" {
		return Outcome[T]{}, errorf(Invalid, "empty task id")
	}
	if cost < 0 {
		return Outcome[T]{}, errorf(Invalid, "negative token cost %d", cost)
	}
	if x := q.find(id); x != none {
		return Outcome[T]{}, errorf(DuplicateID, "task %q is already queued", id)
	}
	if name := q.quota.refuse(tenant); name != "" {
		return Outcome[T]{Status: Refused, Code: QuotaExceeded, Quota: name}, nil
	}
	if ct := q.classes[ci].CapacityTokens; (ct > 0 && cost > ct) || (q.capTok > 0 && cost > q.capTok) {
		return Outcome[T]{Status: Refused, Code: TooLarge}, nil
	}
	out := Outcome[T]{Status: Admitted}
	if q.classOver(ci, cost) || q.poolOver(cost) {
		code, ok := q.makeRoom(ci, cost)
		if !ok {
			return Outcome[T]{Status: Refused, Code: QueueFull}, nil
		}
		out = Outcome[T]{Status: Evicting, Code: code, Evicted: q.evicted}
	}
	q.push(ci, Item[T]{ID: id, Tenant: tenant, Class: ci, Cost: cost, Value: v})
	return out, nil
}

// classOver reports whether a newcomer of cost would take class ci over
// its count or token capacity.
func (q *Queue[T]) classOver(ci int, cost int64) bool {
	l, c := &q.lists[ci], &q.classes[ci]
	return l.n >= c.Capacity || (c.CapacityTokens > 0 && l.tokens > c.CapacityTokens-cost)
}

// poolOver reports whether a newcomer of cost would take the pool over
// its count or token capacity.
func (q *Queue[T]) poolOver(cost int64) bool {
	return (q.cap > 0 && q.total >= q.cap && mutant != mutNoPoolCap) ||
		(q.capTok > 0 && q.tokens > q.capTok-cost)
}

// makeRoom evicts, as the policy says, until a newcomer of class ci and
// cost fits, into q.evicted; false (nothing evicted) means refuse.
func (q *Queue[T]) makeRoom(ci int, cost int64) (Code, bool) {
	q.evicted = q.evicted[:0]
	switch q.policy {
	case DropLRU:
		for q.classOver(ci, cost) {
			q.evict(ci)
		}
		for q.poolOver(cost) {
			q.evict(q.lowestFrom(0))
		}
		return DroppedLRU, true
	case ShedLow:
		lo := ci + 1 // indices above ci are the classes ranked strictly below it
		if mutant == mutShedEqual {
			lo = ci
		}
		if q.classOver(ci, cost) || !q.below(lo, cost) {
			return "", false
		}
		for q.poolOver(cost) {
			q.evict(q.lowestFrom(lo))
		}
		return Shed, true
	}
	return "", false
}

// below reports whether evicting every task of the classes from index lo
// down would let a newcomer of cost fit the pool.
func (q *Queue[T]) below(lo int, cost int64) bool {
	n, tok := 0, int64(0)
	for i := lo; i < len(q.lists); i++ {
		n, tok = n+q.lists[i].n, tok+q.lists[i].tokens
	}
	countOK := q.cap == 0 || mutant == mutNoPoolCap || q.total-n < q.cap
	tokOK := q.capTok == 0 || q.tokens-tok <= q.capTok-cost
	return countOK && tokOK
}

// lowestFrom returns the lowest-ranked non-empty class with index at least
// lo (callers know there is one).
func (q *Queue[T]) lowestFrom(lo int) int {
	for i := len(q.lists) - 1; i >= lo; i-- {
		if q.lists[i].n > 0 {
			return i
		}
	}
	return -1
}

// evict removes the oldest task of class ci by arrival (the newest under
// the evict-newest fault), under round robin too, into q.evicted.
func (q *Queue[T]) evict(ci int) {
	x := q.lists[ci].head
	if mutant == mutEvictNewest {
		x = q.lists[ci].tail
	}
	q.evicted = append(q.evicted, q.remove(x))
}

// Peek returns the task Dequeue(i) would take, without removing it: the
// oldest of the class, or under round robin the oldest of the tenant
// whose turn it is.
func (q *Queue[T]) Peek(i int) (Item[T], bool) {
	if i < 0 || i >= len(q.lists) || q.lists[i].n == 0 {
		return Item[T]{}, false
	}
	return q.nodes[q.front(i)].item, true
}

// Oldest returns the task of class index i that arrived first among those
// not put back with PushFront (the first of the class FIFO after the
// tasks put back, which all sit at its front; under round robin it may
// not be the one Peek shows). It walks past the tasks put back: O(1 +
// their number).
func (q *Queue[T]) Oldest(i int) (Item[T], bool) {
	if i < 0 || i >= len(q.lists) || q.lists[i].n == q.lists[i].back {
		return Item[T]{}, false
	}
	x := q.lists[i].head
	for q.nodes[x].back {
		x = q.nodes[x].next
	}
	return q.nodes[x].item, true
}

// PushFront puts a task that left the queue back at the head of its class
// (a preempted job's task, OC-CORE-1057): Peek and Dequeue of the class
// give it next, the other tasks keeping their order behind it. Under
// round robin it goes to the head of its tenant's tasks and that tenant
// takes the current turn, the others keeping their order in the rotation.
// It is never refused and evicts nothing: the task was admitted once, so
// the class and the pool may exceed their count and token capacities by
// the tasks put back, and a later admission finds them full and applies
// its policy as usual. Quotas count it as queued again. Bad input (empty
// id, class index out of range, duplicate id, negative cost) returns an
// *Error and changes nothing.
func (q *Queue[T]) PushFront(id, tenant string, ci int, cost int64, v T) error {
	switch {
	case ci < 0 || ci >= len(q.lists):
		return errorf(UnknownClass, "class index %d out of range", ci)
	case id == "":
		return errorf(Invalid, "empty task id")
	case cost < 0:
		return errorf(Invalid, "negative token cost %d", cost)
	case q.find(id) != none:
		return errorf(DuplicateID, "task %q is already queued", id)
	}
	q.insert(ci, Item[T]{ID: id, Tenant: tenant, Class: ci, Cost: cost, Value: v}, true)
	return nil
}

// Dequeue removes and returns the task Peek(i) shows; under round robin
// the rotation moves on to the next tenant.
func (q *Queue[T]) Dequeue(i int) (Item[T], bool) {
	if i < 0 || i >= len(q.lists) || q.lists[i].n == 0 {
		return Item[T]{}, false
	}
	return q.take(q.front(i), true), true
}

// errNotQueued is shared so that a cancel that finds nothing allocates
// nothing.
var errNotQueued = &Error{Code: NotFound, Msg: "task is not queued"}

// Cancel removes the queued task with the given id in O(1). An id that is
// not queued returns an *Error with code NOT_FOUND and changes nothing, so
// a repeated cancel is harmless.
func (q *Queue[T]) Cancel(id string) (Item[T], error) {
	x := q.find(id)
	if x == none {
		return Item[T]{}, errNotQueued
	}
	return q.remove(x), nil
}

// IDs returns the ids queued in class index i, oldest first. It walks the
// class list (O(n)); it is for inspection, never for a decision.
func (q *Queue[T]) IDs(i int) []string {
	if i < 0 || i >= len(q.lists) {
		return nil
	}
	ids := make([]string, 0, q.lists[i].n)
	for x := q.lists[i].head; x != none; x = q.nodes[x].next {
		ids = append(ids, q.nodes[x].item.ID)
	}
	return ids
}
