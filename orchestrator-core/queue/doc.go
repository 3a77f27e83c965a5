// Package queue is a pool's admission queue: one bounded FIFO per priority
// class, a pool-wide capacity, the three full-queue policies and per-tenant
// quotas.
//
// Guarantees:
//   - One FIFO per class; arrival order is kept within a class
//     (OC-CORE-1001, OC-CORE-1003).
//   - Enqueue, Dequeue (head of a class) and Cancel are O(1): tasks live in
//     intrusive doubly linked lists over a node arena with a free list; an
//     id index (open addressing over 8-byte entries, each hit verified
//     against the node's id) serves lookups and is never iterated. Choosing a victim or a
//     backlogged class scans classes (at most 64), never tasks.
//   - A full class or pool is decided by the Policy exactly as OC-CORE-1002
//     words it: reject refuses with QUEUE_FULL and changes nothing;
//     drop-lru admits and evicts the oldest task of the newcomer's class if
//     that class is full, else the oldest task of the lowest-ranked
//     non-empty class (QUEUE_FULL_DROP_LRU); shed-low-priority refuses when
//     the newcomer's class is full, and when the pool is full evicts the
//     oldest task of the lowest-ranked non-empty class strictly below the
//     newcomer (SHED_LOW_PRIORITY), else refuses.
//   - Every admission has a typed Outcome: Admitted, Evicting (with the
//     evicted item and reason) or Refused (with a code, and the quota name
//     for QUOTA_EXCEEDED).
//   - Quotas are checked before capacity: a tenant at its max_queued or
//     max_inflight limit is refused with QUOTA_EXCEEDED naming the quota.
//     The in-flight count is kept by the caller through Start and Done.
//   - Bad input (unknown class, empty or duplicate id, cancel of an id not
//     queued) returns an *Error with a stable code and changes nothing; no
//     input panics.
//   - A steady state of enqueues and dequeues allocates nothing.
//   - Not safe for concurrent use; the Pool serializes access.
//   - The deliberately broken variants the property tests must catch
//     exist only in a build with the mutants tag (go test -tags mutants);
//     in any other build their switch is the constant 0 and the compiler
//     removes every branch on it.
package queue
