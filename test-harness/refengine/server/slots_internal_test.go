package server

import (
	"context"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestSlotsStateMachine checks the slot pool against a plain model: a set
// of busy ids where acquire takes the lowest free id and never more than n.
func TestSlotsStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "slots")
		s := newSlots(n)
		var held []int // the model: ids currently held
		t.Repeat(map[string]func(*rapid.T){
			"acquire": func(t *rapid.T) {
				if len(held) == n {
					ctx, cancel := context.WithCancel(context.Background())
					cancel()
					if _, err := s.acquire(ctx); err == nil {
						t.Fatal("acquired a slot while all were busy")
					}
					return
				}
				want := 0
				for slices.Contains(held, want) {
					want++
				}
				got, err := s.acquire(context.Background())
				if err != nil || got != want {
					t.Fatalf("acquire = %d, %v; want lowest free %d", got, err, want)
				}
				held = append(held, got)
			},
			"release": func(t *rapid.T) {
				if len(held) == 0 {
					t.Skip("nothing held")
				}
				i := rapid.IntRange(0, len(held)-1).Draw(t, "which")
				s.release(held[i])
				held = slices.Delete(held, i, i+1)
			},
			"": func(t *rapid.T) {
				if len(s.sem) != len(held) {
					t.Fatalf("semaphore holds %d, model %d", len(s.sem), len(held))
				}
				for id, busy := range s.busy {
					if busy != slices.Contains(held, id) {
						t.Fatalf("slot %d busy=%v, model holds %v", id, busy, held)
					}
				}
			},
		})
	})
}
