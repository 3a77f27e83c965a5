package queue

import "fmt"

// Policy is the admission policy applied when a class or the pool is full
// (OC-CORE-1002).
type Policy uint8

// Admission policies. The zero value is Reject.
const (
	// Reject refuses the newcomer with QUEUE_FULL; the queue is unchanged.
	Reject Policy = iota
	// DropLRU admits the newcomer and evicts the oldest task of its own
	// class if that class is full, else the oldest task of the
	// lowest-ranked non-empty class.
	DropLRU
	// ShedLow never evicts a task of equal or higher rank than the
	// newcomer: a full own class refuses; a full pool evicts the oldest
	// task of the lowest-ranked non-empty class strictly below the
	// newcomer, else refuses.
	ShedLow
)

var policyNames = [...]string{Reject: "reject", DropLRU: "drop-lru", ShedLow: "shed-low-priority"}

// String returns the configuration spelling of p.
func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("Policy(%d)", p)
}

// ParsePolicy maps a configuration spelling to a Policy. The empty string
// is Reject.
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "", "reject":
		return Reject, nil
	case "drop-lru":
		return DropLRU, nil
	case "shed-low-priority":
		return ShedLow, nil
	}
	return 0, errorf(Invalid, "unknown admission policy %q", s)
}

// Class is one priority class. Higher Rank is served first by the strict
// policy and is protected by shed-low-priority.
type Class struct {
	Name string
	// Rank orders classes; ranks are distinct within a queue.
	Rank int
	// Weight is the fairness weight, at least 1.
	Weight int
	// Capacity bounds the class FIFO, at least 1.
	Capacity int
	// CapacityTokens bounds the summed token cost of the class's queued
	// tasks; 0 means no token bound (OC-CORE-1051).
	CapacityTokens int64
	// TenantOrder orders the class's tasks across tenants (OC-CORE-1053).
	TenantOrder TenantOrder
	// TTLMs is the class's queue-wait TTL in milliseconds; 0 means none.
	// The queue only carries it; the Pool expires tasks (OC-CORE-1050).
	TTLMs int64
}

// Quota limits one tenant. A zero limit means no limit.
type Quota struct {
	// Tenant is the tenant the quota applies to; "*" is the default for
	// tenants without a quota of their own.
	Tenant      string
	MaxQueued   int
	MaxInFlight int
}

// Quota names used in QUOTA_EXCEEDED outcomes.
const (
	MaxQueued   = "max_queued"
	MaxInFlight = "max_inflight"
)

// Config configures a Queue.
type Config struct {
	// Classes in any order; the queue orders them by rank, highest first.
	Classes []Class
	// Capacity bounds the total number of queued tasks; 0 means only the
	// class capacities bound it.
	Capacity int
	// CapacityTokens bounds the summed token cost of all queued tasks; 0
	// means no pool token bound.
	CapacityTokens int64
	Policy         Policy
	Quotas         []Quota
}

// Status is the kind of an admission outcome.
type Status uint8

// Admission statuses.
const (
	// Admitted: the task was queued and nothing was evicted.
	Admitted Status = iota + 1
	// Evicting: the task was queued and the tasks of Outcome.Evicted were
	// dropped to make room (Outcome.Code is the drop reason).
	Evicting
	// Refused: the task was not queued (Outcome.Code says why); the queue
	// is unchanged.
	Refused
)

var statusNames = [...]string{Admitted: "admitted", Evicting: "evicting", Refused: "refused"}

// String returns the status name.
func (s Status) String() string {
	if int(s) < len(statusNames) && statusNames[s] != "" {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// Item is a queued task as the queue sees it.
type Item[T any] struct {
	ID     string
	Tenant string
	// Class is the class index (see [Queue.Classes]).
	Class int
	// Cost is the task's token cost (prompt plus max new tokens), what the
	// token capacities count.
	Cost  int64
	Value T
}

// Outcome is the typed result of [Queue.Enqueue].
type Outcome[T any] struct {
	Status Status
	// Code is the refusal code (QUEUE_FULL, QUOTA_EXCEEDED) or the drop
	// reason (QUEUE_FULL_DROP_LRU, SHED_LOW_PRIORITY); empty when Admitted.
	Code Code
	// Quota names the exceeded quota (MaxQueued or MaxInFlight) when Code
	// is QUOTA_EXCEEDED.
	Quota string
	// Evicted are the dropped tasks, oldest first in the order the policy
	// chose them, when Status is Evicting: one under count capacities, and
	// as many as the newcomer's token cost needs under token capacities.
	// The slice is the queue's and is valid until the next Enqueue.
	Evicted []Item[T]
}
