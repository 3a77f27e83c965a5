package watchdog_test

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/watchdog"
)

type step struct {
	op  string // start, beat, stop, expire
	job string
	at  int64
	// for expire: the expected expiries as "job:KIND@deadline"
	want []string
}

func render(es []watchdog.Expiry) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s:%s@%d", e.Job, e.Kind, e.DeadlineMs))
	}
	return out
}

func TestTimeouts(t *testing.T) {
	cases := []struct {
		name   string
		limits watchdog.Limits
		steps  []step
	}{
		{"idle fires without tokens", watchdog.Limits{WallMs: 1000, IdleMs: 100}, []step{
			{op: "start", job: "a", at: 0},
			{op: "expire", at: 99},
			{op: "expire", at: 100, want: []string{"a:IDLE@100"}},
			{op: "expire", at: 500},
		}},
		{"tokens keep idle away until wall", watchdog.Limits{WallMs: 250, IdleMs: 100}, []step{
			{op: "start", job: "a", at: 0},
			{op: "beat", job: "a", at: 90},
			{op: "beat", job: "a", at: 180},
			{op: "expire", at: 249},
			{op: "expire", at: 250, want: []string{"a:WALL@250"}},
		}},
		{"idle after last token", watchdog.Limits{WallMs: 1000, IdleMs: 100}, []step{
			{op: "start", job: "a", at: 0},
			{op: "beat", job: "a", at: 50},
			{op: "expire", at: 149},
			{op: "expire", at: 150, want: []string{"a:IDLE@150"}},
		}},
		{"both at once: wall wins", watchdog.Limits{WallMs: 200, IdleMs: 100}, []step{
			{op: "start", job: "a", at: 0},
			{op: "beat", job: "a", at: 100},
			{op: "expire", at: 200, want: []string{"a:WALL@200"}},
		}},
		{"wall only", watchdog.Limits{WallMs: 300}, []step{
			{op: "start", job: "a", at: 10},
			{op: "expire", at: 309},
			{op: "expire", at: 310, want: []string{"a:WALL@310"}},
		}},
		{"idle only", watchdog.Limits{IdleMs: 300}, []step{
			{op: "start", job: "a", at: 0},
			{op: "beat", job: "a", at: 1000},
			{op: "expire", at: 1299},
			{op: "expire", at: 1300, want: []string{"a:IDLE@1300"}},
		}},
		{"disabled never fires", watchdog.Limits{}, []step{
			{op: "start", job: "a", at: 0},
			{op: "expire", at: math.MaxInt64},
		}},
		{"stopped job never fires", watchdog.Limits{WallMs: 10, IdleMs: 10}, []step{
			{op: "start", job: "a", at: 0},
			{op: "stop", job: "a", at: 5},
			{op: "expire", at: 100},
		}},
		{"order by deadline then id", watchdog.Limits{WallMs: 1000, IdleMs: 100}, []step{
			{op: "start", job: "c", at: 0},
			{op: "start", job: "b", at: 0},
			{op: "start", job: "a", at: 5},
			{op: "beat", job: "c", at: 5},
			{op: "expire", at: 105, want: []string{"b:IDLE@100", "a:IDLE@105", "c:IDLE@105"}},
		}},
		{"saturating deadline", watchdog.Limits{WallMs: math.MaxInt64}, []step{
			{op: "start", job: "a", at: 10},
			{op: "expire", at: math.MaxInt64 - 1},
			{op: "expire", at: math.MaxInt64, want: []string{fmt.Sprintf("a:WALL@%d", int64(math.MaxInt64))}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1022")
			w := watchdog.New(c.limits)
			for i, s := range c.steps {
				switch s.op {
				case "start":
					if !w.Start(s.job, s.at) {
						t.Fatalf("step %d: Start refused", i)
					}
				case "beat":
					if !w.Heartbeat(s.job, s.at) {
						t.Fatalf("step %d: Heartbeat refused", i)
					}
				case "stop":
					if !w.Stop(s.job) {
						t.Fatalf("step %d: Stop refused", i)
					}
				case "expire":
					if diff := cmp.Diff(s.want, render(w.Expired(s.at))); diff != "" {
						t.Fatalf("step %d: Expired(%d) (-want +got):\n%s", i, s.at, diff)
					}
				}
			}
		})
	}
}

func TestUnknownAndDuplicateJobs(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	w := watchdog.New(watchdog.Limits{WallMs: 10})
	if w.Heartbeat("x", 1) || w.Stop("x") {
		t.Fatal("unknown job accepted")
	}
	if _, ok := w.Next(); ok {
		t.Fatal("Next on empty watchdog")
	}
	w.Start("x", 0)
	if w.Start("x", 5) {
		t.Fatal("second Start accepted")
	}
	if d, ok := w.Next(); !ok || d != 10 || w.Len() != 1 {
		t.Fatalf("Next = %d, %v; Len %d", d, ok, w.Len())
	}
}

// refDog is the brute-force model: a map of jobs, scanned and sorted on
// every expiry check.
type refDog struct {
	limits watchdog.Limits
	start  map[string]int64
	last   map[string]int64
}

func (r *refDog) expired(now int64) []watchdog.Expiry {
	var out []watchdog.Expiry
	for job, s := range r.start {
		var fired []watchdog.Expiry
		if r.limits.WallMs > 0 && now >= s+r.limits.WallMs {
			fired = append(fired, watchdog.Expiry{Job: job, Kind: watchdog.Wall, DeadlineMs: s + r.limits.WallMs})
		}
		if r.limits.IdleMs > 0 && now >= r.last[job]+r.limits.IdleMs {
			fired = append(fired, watchdog.Expiry{Job: job, Kind: watchdog.Idle, DeadlineMs: r.last[job] + r.limits.IdleMs})
		}
		if len(fired) == 0 {
			continue
		}
		// the earlier deadline fired first; on a tie WALL (listed first)
		sort.SliceStable(fired, func(i, j int) bool { return fired[i].DeadlineMs < fired[j].DeadlineMs })
		out = append(out, fired[0])
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DeadlineMs != out[j].DeadlineMs {
			return out[i].DeadlineMs < out[j].DeadlineMs
		}
		return out[i].Job < out[j].Job
	})
	for _, e := range out {
		delete(r.start, e.Job)
		delete(r.last, e.Job)
	}
	return out
}

// dog is what the property drives: the Watchdog, or a broken wrapper.
type dog interface {
	Start(string, int64) bool
	Heartbeat(string, int64) bool
	Stop(string) bool
	Expired(int64) []watchdog.Expiry
	Next() (int64, bool)
	Len() int
}

func TestPropertyMatchesBruteForce(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	rapid.Check(t, dogMachine(func(l watchdog.Limits) dog { return watchdog.New(l) }))
}

// reversed breaks the order of simultaneous expiries.
type reversed struct{ *watchdog.Watchdog }

func (r reversed) Expired(now int64) []watchdog.Expiry {
	out := r.Watchdog.Expired(now)
	slices.Reverse(out)
	return out
}

func TestPropertyCatchesWrongOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	failed, _ := proptest.Fails(t, dogMachine(func(l watchdog.Limits) dog { return reversed{watchdog.New(l)} }))
	if !failed {
		t.Fatal("the property accepted expiries in the wrong order")
	}
}

func dogMachine(newDog func(watchdog.Limits) dog) func(*rapid.T) {
	return func(t *rapid.T) {
		limits := watchdog.Limits{
			WallMs: rapid.Int64Range(-1, 60).Draw(t, "wall"),
			IdleMs: rapid.Int64Range(-1, 30).Draw(t, "idle"),
		}
		w := newDog(limits)
		ref := &refDog{limits: limits, start: map[string]int64{}, last: map[string]int64{}}
		var now int64
		jobs := []string{"a", "b", "c", "d", "e", "f"}
		t.Repeat(map[string]func(*rapid.T){
			"start": func(t *rapid.T) {
				j := rapid.SampledFrom(jobs).Draw(t, "job")
				_, had := ref.start[j]
				if w.Start(j, now) == had {
					t.Fatalf("Start(%s) disagreed with model (watched=%v)", j, had)
				}
				if !had {
					ref.start[j], ref.last[j] = now, now
				}
			},
			"beat": func(t *rapid.T) {
				j := rapid.SampledFrom(jobs).Draw(t, "job")
				_, had := ref.start[j]
				if w.Heartbeat(j, now) != had {
					t.Fatalf("Heartbeat(%s) disagreed with model", j)
				}
				if had {
					ref.last[j] = now
				}
			},
			"stop": func(t *rapid.T) {
				j := rapid.SampledFrom(jobs).Draw(t, "job")
				_, had := ref.start[j]
				if w.Stop(j) != had {
					t.Fatalf("Stop(%s) disagreed with model", j)
				}
				delete(ref.start, j)
				delete(ref.last, j)
			},
			"advance": func(t *rapid.T) {
				now += rapid.Int64Range(0, 25).Draw(t, "ms")
				got, want := w.Expired(now), ref.expired(now)
				if diff := cmp.Diff(render(want), render(got)); diff != "" {
					t.Fatalf("Expired(%d) (-model +watchdog):\n%s", now, diff)
				}
			},
			"": func(t *rapid.T) {
				if w.Len() != len(ref.start) {
					t.Fatalf("Len %d, model %d", w.Len(), len(ref.start))
				}
				if d, ok := w.Next(); ok {
					// Next is the minimum of the model's deadlines.
					var all []int64
					for j, s := range ref.start {
						if limits.WallMs > 0 {
							all = append(all, s+limits.WallMs)
						}
						if limits.IdleMs > 0 {
							all = append(all, ref.last[j]+limits.IdleMs)
						}
					}
					if len(all) == 0 || slices.Min(all) != d {
						t.Fatalf("Next = %d, model deadlines %v", d, all)
					}
				}
			},
		})
	}
}

func ExampleWatchdog() {
	w := watchdog.New(watchdog.Limits{WallMs: 60_000, IdleMs: 5_000})
	w.Start("job-1", 0)
	w.Heartbeat("job-1", 3_000) // a token arrived
	for _, e := range w.Expired(8_000) {
		fmt.Println(e.Job, "timed out:", e.Kind, "at", e.DeadlineMs)
	}
	// Output: job-1 timed out: IDLE at 8000
}
