package core

import (
	"container/heap"

	"orchcore.dev/orchestrator-core/internal/churn"
)

// wait is a task waiting out its retry delay.
type wait struct {
	e       entry
	attempt int    // the attempt it will be dispatched as
	set     string // the replica set of its first job
	pin     bool
	due     int64
	idx     int
}

// waits is a min-heap of waiting tasks by (due, task id), with an index
// by id so that Cancel removes one in O(log n).
type waits struct {
	h  waitHeap
	by churn.Map[string, *wait]
}

func newWaits() waits { return waits{} }

func (w *waits) has(id string) bool { _, ok := w.by.Get(id); return ok }

func (w *waits) get(id string) (*wait, bool) { return w.by.Get(id) }
func (w *waits) len() int                    { return len(w.h) }

func (w *waits) push(x *wait) {
	w.by.Set(x.e.task.ID, x)
	heap.Push(&w.h, x)
}

// due returns the earliest wait if it is due at now.
func (w *waits) due(now int64) (*wait, bool) {
	if len(w.h) == 0 || w.h[0].due > now {
		return nil, false
	}
	return w.h[0], true
}

func (w *waits) remove(id string) (*wait, bool) {
	x, ok := w.by.Get(id)
	if !ok {
		return nil, false
	}
	w.by.Delete(id)
	heap.Remove(&w.h, x.idx)
	return x, true
}

type waitHeap []*wait

func (h waitHeap) Len() int { return len(h) }
func (h waitHeap) Less(i, j int) bool {
	if h[i].due != h[j].due {
		return h[i].due < h[j].due
	}
	return h[i].e.task.ID < h[j].e.task.ID
}
func (h waitHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *waitHeap) Push(x any) {
	w := x.(*wait)
	w.idx = len(*h)
	*h = append(*h, w)
}
func (h *waitHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return w
}
