package watchdog

import (
	"container/heap"
	"math"
)

// Limits are the two timeouts in milliseconds; <= 0 disables one.
type Limits struct {
	WallMs int64
	IdleMs int64
}

// Kind is the timeout that fired.
type Kind uint8

// Timeouts. When both fire at the same instant, Wall is reported.
const (
	Wall Kind = iota + 1
	Idle
)

// String returns WALL or IDLE, the reason code of a TimedOut event.
func (k Kind) String() string {
	switch k {
	case Wall:
		return "WALL"
	case Idle:
		return "IDLE"
	}
	return ""
}

// Expiry is a job whose timeout fired.
type Expiry struct {
	Job        string
	Kind       Kind
	DeadlineMs int64
}

// Watchdog tracks the deadlines of running jobs.
type Watchdog struct {
	limits Limits
	byJob  map[string]*entry
	h      deadlines
}

type entry struct {
	job      string
	startMs  int64
	lastMs   int64
	deadline int64
	kind     Kind // 0 when no limit is enabled
	index    int  // position in the heap
}

// New returns a Watchdog applying limits to every job.
func New(limits Limits) *Watchdog {
	return &Watchdog{limits: limits, byJob: make(map[string]*entry)}
}

// Start watches job from nowMs. It returns false, and changes nothing, if
// the job is already watched.
func (w *Watchdog) Start(job string, nowMs int64) bool {
	if _, ok := w.byJob[job]; ok {
		return false
	}
	e := &entry{job: job, startMs: nowMs, lastMs: nowMs}
	e.deadline, e.kind = w.deadline(e)
	w.byJob[job] = e
	heap.Push(&w.h, e)
	return true
}

// Heartbeat records a token at nowMs, pushing the idle deadline back. It
// returns false for a job that is not watched. A time earlier than the
// last token is ignored.
func (w *Watchdog) Heartbeat(job string, nowMs int64) bool {
	e, ok := w.byJob[job]
	if !ok {
		return false
	}
	if nowMs > e.lastMs {
		e.lastMs = nowMs
		e.deadline, e.kind = w.deadline(e)
		heap.Fix(&w.h, e.index)
	}
	return true
}

// Stop forgets job (it finished or was canceled). It returns false for a
// job that is not watched.
func (w *Watchdog) Stop(job string) bool {
	e, ok := w.byJob[job]
	if !ok {
		return false
	}
	heap.Remove(&w.h, e.index)
	delete(w.byJob, job)
	return true
}

// Expired removes and returns the jobs whose deadline is <= nowMs, by
// deadline then job id. It returns nil when none expired.
func (w *Watchdog) Expired(nowMs int64) []Expiry {
	var out []Expiry
	for len(w.h) > 0 {
		e := w.h[0]
		if e.kind == 0 || e.deadline > nowMs {
			break
		}
		heap.Pop(&w.h)
		delete(w.byJob, e.job)
		out = append(out, Expiry{Job: e.job, Kind: e.kind, DeadlineMs: e.deadline})
	}
	return out
}

// Next returns the earliest deadline, so a caller can sleep until then.
func (w *Watchdog) Next() (deadlineMs int64, ok bool) {
	if len(w.h) == 0 || w.h[0].kind == 0 {
		return 0, false
	}
	return w.h[0].deadline, true
}

// Len returns the number of watched jobs.
func (w *Watchdog) Len() int { return len(w.byJob) }

func (w *Watchdog) deadline(e *entry) (int64, Kind) {
	d, k := int64(math.MaxInt64), Kind(0)
	if w.limits.IdleMs > 0 {
		d, k = add(e.lastMs, w.limits.IdleMs), Idle
	}
	if w.limits.WallMs > 0 {
		if wall := add(e.startMs, w.limits.WallMs); k == 0 || wall <= d {
			d, k = wall, Wall
		}
	}
	return d, k
}

// add is a+b saturating at MaxInt64 (b > 0).
func add(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// deadlines is a min-heap by (enabled first, deadline, job id).
type deadlines []*entry

var _ heap.Interface = (*deadlines)(nil)

func (h deadlines) Len() int { return len(h) }
func (h deadlines) Less(i, j int) bool {
	a, b := h[i], h[j]
	if (a.kind == 0) != (b.kind == 0) {
		return a.kind != 0
	}
	if a.deadline != b.deadline {
		return a.deadline < b.deadline
	}
	return a.job < b.job
}
func (h deadlines) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *deadlines) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *deadlines) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
