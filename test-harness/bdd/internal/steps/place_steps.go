package steps

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"orchcore.dev/orchestrator-core/scheduling"
)

func (w *world) placementSteps(sc *godog.ScenarioContext) {
	sc.Step(`^replicas:$`, func(t *godog.Table) error { return w.addReplicas(rows(t)) })
	sc.Step(`^pool (\S+) with device mask ([\d,]+)$`, w.declarePool)
	sc.Step(`^replicas listed in the order ([\w, ]+), all with (\d+) MB free and (\d+) active slots?$`, w.sameReplicas)
	sc.Step(`^replica (\S+) turns (Ready|not Ready)$`, w.turn)
	sc.Step(`^replica (\S+) now has (\d+) MB free$`, w.setFree)
	sc.Step(`^pinning is (allowed|disallowed)$`, func(v string) { w.policy.AllowPin = v == "allowed" })

	sc.Step(jobPlaced, w.placeJob)
	sc.Step(`^replica (\S+) fails and the job is placed again$`, w.retryElsewhere)
	sc.Step(`^a job is placed (\d+) times on the same snapshot$`, w.placeMany)

	sc.Step(`^it goes to replica (\S+)(?: with kv_warmth (true|false))?$`, w.wentWarm)
	sc.Step(`^every placement goes to replica (\S+)$`, w.allWentTo)
	sc.Step(`^nothing is placed, with reason (\S+)$`, w.notPlaced)
	sc.Step(`^the decision counts (\d+) candidates, (\d+) feasible$`, w.counts)
	sc.Step(`^the decision filtered (.+)$`, w.filtered)
	sc.Step(`^the placement is refused with (\S+)$`, w.refusedPlacement)
}

// jobPlaced reads "a job [for model M] [on engine E] [of session S]
// [of replica set R] [pinned to pool P] [needing ctx_max N]
// [and extension X] is placed [and completes]"; what is not said keeps
// the default request.
const jobPlaced = `^a job(?: for model (\S+))?(?: on engine (\S+))?(?: of session (\S+))?(?: of replica set (\S+))?` +
	`(?: pinned to pool (\S+))?(?: needing ctx_max (\d+))?(?: and extension (\S+))? is placed( and completes)?$`

func (w *world) placeJob(model, engine, session, set, pin, ctx, ext, completes string) error {
	r := defaultRequest()
	if model != "" {
		r.ModelID = model
	}
	r.Engine, r.SessionID, r.ReplicaSet, r.Pin = engine, session, set, pin
	if ctx != "" {
		n, err := strconv.Atoi(ctx)
		if err != nil {
			return err
		}
		r.CtxMax = scheduling.Some(n)
	}
	if ext != "" {
		r.Extensions = []string{ext}
	}
	w.place(r)
	if completes != "" && w.err == nil && w.dec.Assigned && session != "" {
		// the job completed well: its replica is the session's last good one
		w.aff.Set(session, w.dec.ReplicaID)
	}
	return nil
}

func (w *world) declarePool(id, mask string) error {
	m, err := ints(mask)
	w.pools = append(w.pools, scheduling.Pool{ID: id, DeviceMask: m})
	return err
}

func (w *world) sameReplicas(order string, free int64, active int) {
	for _, id := range list(order) {
		r := defaultReplica(id)
		r.FreeVRAMMB, r.ActiveSlots = free, active
		w.replicas = append(w.replicas, r)
	}
}

func (w *world) turn(id, state string) error {
	r, err := w.replica(id)
	if err == nil {
		r.Ready = state == "Ready"
	}
	return err
}

func (w *world) setFree(id string, free int64) error {
	r, err := w.replica(id)
	if err == nil {
		r.FreeVRAMMB = free
	}
	return err
}

func (w *world) place(req scheduling.Request) error {
	p := w.sys.NewPlacer(w.policy, &w.aff)
	w.dec, w.err = p.Place(&req, w.snapshot())
	w.placed++
	return nil
}

func (w *world) retryElsewhere(id string) error {
	if err := w.wentTo(id); err != nil {
		return err
	}
	set := w.dec.ReplicaSet
	if err := w.turn(id, "not Ready"); err != nil {
		return err
	}
	r := defaultRequest()
	r.ReplicaSet = set
	return w.place(r)
}

func (w *world) placeMany(n int) error {
	var got []string
	for range n {
		w.place(defaultRequest())
		got = append(got, w.dec.ReplicaID)
	}
	w.many = got
	return nil
}

func (w *world) decided() error {
	if w.placed == 0 {
		return fmt.Errorf("no job was placed")
	}
	if w.err != nil {
		return fmt.Errorf("placement was refused: %v", w.err)
	}
	return nil
}

func (w *world) wentTo(id string) error {
	if err := w.decided(); err != nil {
		return err
	}
	if !w.dec.Assigned || w.dec.ReplicaID != id {
		return fmt.Errorf("want replica %s, got %s", id, describe(w.dec))
	}
	return nil
}

func (w *world) wentWarm(id, warm string) error {
	if err := w.wentTo(id); err != nil || warm == "" {
		return err
	}
	if want := warm == "true"; w.dec.KVWarmth != want {
		return fmt.Errorf("want kv_warmth=%v, got %v", want, w.dec.KVWarmth)
	}
	return nil
}

func (w *world) allWentTo(id string) error {
	if len(w.many) == 0 {
		return fmt.Errorf("no placements were made")
	}
	for i, got := range w.many {
		if got != id {
			return fmt.Errorf("placement %d went to %q, want %s (all: %v)", i+1, got, id, w.many)
		}
	}
	return nil
}

func (w *world) notPlaced(reason string) error {
	if err := w.decided(); err != nil {
		return err
	}
	if w.dec.Assigned || w.dec.Reason.String() != reason {
		return fmt.Errorf("want nothing placed with reason %s, got %s", reason, describe(w.dec))
	}
	return nil
}

func (w *world) counts(total, feasible int) error {
	if err := w.decided(); err != nil {
		return err
	}
	if w.dec.CandidatesTotal != total || w.dec.CandidatesFeasible != feasible {
		return fmt.Errorf("want %d candidates, %d feasible; got %d, %d",
			total, feasible, w.dec.CandidatesTotal, w.dec.CandidatesFeasible)
	}
	return nil
}

// filtered checks "1 by POOL_UNREADY, 2 by NO_CAPACITY": exactly these
// reasons, with these counts.
func (w *world) filtered(spec string) error {
	if err := w.decided(); err != nil {
		return err
	}
	want := map[string]int{}
	for _, item := range list(spec) {
		n, code, ok := strings.Cut(item, " by ")
		c, err := strconv.Atoi(n)
		if !ok || err != nil {
			return fmt.Errorf("cannot read %q; write it as N by REASON", item)
		}
		want[code] = c
	}
	got := map[string]int{}
	for _, rc := range w.dec.Counts() {
		got[rc.Reason] = rc.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("want filtered %v, got %v", want, got)
	}
	return nil
}

func (w *world) refusedPlacement(code string) error {
	if w.placed == 0 {
		return fmt.Errorf("no job was placed")
	}
	var e *scheduling.Error
	if w.err == nil || !errors.As(w.err, &e) || e.Code != code {
		return fmt.Errorf("want refusal %s, got error %v and %s", code, w.err, describe(w.dec))
	}
	if w.dec.Assigned {
		return fmt.Errorf("a refused placement still assigned %s", w.dec.ReplicaID)
	}
	return nil
}

func describe(d scheduling.Decision) string {
	if d.Assigned {
		return fmt.Sprintf("replica %s (kv_warmth=%v)", d.ReplicaID, d.KVWarmth)
	}
	return fmt.Sprintf("nothing placed, reason %s, %d candidates, %d feasible, filtered %v",
		d.Reason, d.CandidatesTotal, d.CandidatesFeasible, d.Counts())
}
