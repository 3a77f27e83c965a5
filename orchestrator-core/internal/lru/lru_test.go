package lru_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/lru"
)

// TestListMatchesModel checks List against a plain slice kept in recency
// order (least recent first): the same contents, order, evictions.
func TestListMatchesModel(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	rapid.Check(t, func(t *rapid.T) {
		bound := rapid.IntRange(1, 6).Draw(t, "bound")
		var evicted, wantEvicted []string
		l := lru.New[int](bound, func(k string, _ int) { evicted = append(evicted, k) })
		var model []string // least recent first
		vals := map[string]int{}
		keys := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
		t.Repeat(map[string]func(*rapid.T){
			"put": func(t *rapid.T) {
				k, v := rapid.SampledFrom(keys).Draw(t, "key"), rapid.Int().Draw(t, "v")
				model = slices.DeleteFunc(model, func(x string) bool { return x == k })
				model = append(model, k)
				vals[k] = v
				for len(model) > bound {
					wantEvicted = append(wantEvicted, model[0])
					delete(vals, model[0])
					model = model[1:]
				}
				l.Put(k, v)
			},
			"touch": func(t *rapid.T) {
				k := rapid.SampledFrom(keys).Draw(t, "key")
				i := slices.Index(model, k)
				if i >= 0 {
					model = append(slices.Delete(model, i, i+1), k)
				}
				if l.Touch(k) != (i >= 0) {
					t.Fatalf("Touch(%s) disagrees with the model", k)
				}
			},
			"delete": func(t *rapid.T) {
				k := rapid.SampledFrom(keys).Draw(t, "key")
				model = slices.DeleteFunc(model, func(x string) bool { return x == k })
				delete(vals, k)
				l.Delete(k)
			},
			"": func(t *rapid.T) {
				if l.Len() != len(model) || l.Len() > bound {
					t.Fatalf("Len %d, model %d, bound %d", l.Len(), len(model), bound)
				}
				if !slices.Equal(evicted, wantEvicted) {
					t.Fatalf("evicted %v, model %v", evicted, wantEvicted)
				}
				for _, k := range keys {
					v, ok := l.Get(k)
					if w, wok := vals[k]; ok != wok || v != w {
						t.Fatalf("Get(%s) = %d,%v, model %d,%v", k, v, ok, w, wok)
					}
				}
				o, ok := l.Oldest()
				if (len(model) > 0) != ok || (ok && o != model[0]) {
					t.Fatalf("Oldest %q,%v, model %v", o, ok, model)
				}
			},
		})
	})
}

func ExampleList() {
	l := lru.New[int](2, func(k string, v int) { fmt.Println("evict", k, v) })
	l.Put("a", 1)
	l.Put("b", 2)
	l.Touch("a")
	l.Put("c", 3) // b is the least recent
	fmt.Println(l.Len())
	// Output:
	// evict b 2
	// 2
}
