package steps

import (
	"sync"

	"orchcore.dev/orchestrator-core/observe"
)

// recorder is an observe.Observer that keeps every event, safe for the
// concurrent cancel-race scenarios.
type recorder struct {
	mu     sync.Mutex
	events []observe.Event
}

func (r *recorder) Observe(e observe.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// of returns the events of one task, in order.
func (r *recorder) of(task string) []observe.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []observe.Event
	for _, e := range r.events {
		if e.TaskID == task {
			out = append(out, e)
		}
	}
	return out
}

// kinds returns the event names of one task's lifecycle, leaving out
// token and placement events.
func (r *recorder) history(task string) []string {
	var out []string
	for _, e := range r.of(task) {
		switch e.Kind {
		case observe.Token, observe.NoCapacity, observe.Replica, observe.Preload:
			continue
		}
		out = append(out, e.Kind.String())
	}
	return out
}

// terminals counts the terminal events of one task.
func (r *recorder) terminals(task string) int {
	n := 0
	for _, e := range r.of(task) {
		if e.Kind.Terminal() {
			n++
		}
	}
	return n
}

// all returns a copy of every event.
func (r *recorder) all() []observe.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]observe.Event(nil), r.events...)
}

// delays returns the retry delays the pool announced for one task, in
// order.
func (r *recorder) delays(task string) []int64 {
	var out []int64
	for _, e := range r.of(task) {
		if e.Kind == observe.Retried {
			out = append(out, e.DelayMs)
		}
	}
	return out
}
