// Package dispatch is the loop a real orchestrator runs over one
// core.Pool: it keeps a view of its replicas from their probes
// (/health, /props, /metrics), turns it into the snapshot Pool.Next
// places on, runs each placed job on its replica's Engine, reports Token,
// Complete and Fail, calls Tick on the pool's clock, and stops the job of a
// task that Cancel aborts or the watchdog ends. It is reusable outside
// the chaos runner: engines and probes are interfaces.
//
// Guarantees:
//   - Event-driven: the loop wakes on admission (Kick), on a job's end and
//     on a probe's change of a replica's state, and then dispatches until
//     Next places nothing (several dispatches per wake). A coarse timer
//     (Config.TickEvery, default 20 ms) runs Tick, so watchdog expiries and
//     due retries are acted on within one period; nothing polls at
//     millisecond rate.
//   - A replica is marked down (or not Ready) the moment a probe or a job's
//     stream says so, and that observation is reported (Config.OnObserve)
//     under the same lock that builds snapshots and calls Next, so no
//     dispatch decided after an observation can appear before it, and none
//     goes to that replica until a probe sees it Ready again.
//   - Free slots come from the dispatcher's own count of the jobs it runs
//     on each replica, against the slots the replica's /props declares; a
//     replica is never given more jobs than slots.
//   - Every job the dispatcher starts ends in exactly one of Complete, Fail
//     (with a stable cause: REPLICA_DOWN, NOT_READY, ENGINE_ERROR,
//     STREAM_STALLED) or an abort the pool decided (Cancel's AbortedJob,
//     a Tick expiry, a preemption), after which its stream is stopped.
//   - With Config.Preempt (the pool's preemption on, OC-CORE-1057) Next is
//     called even when every slot is taken, so a blocked head can have a
//     lower-ranked job preempted; the preempted stream is stopped (an
//     abort "preempted") and no further Next runs without a free slot
//     until that stream has given its slot back.
//   - Stop returns only after every job goroutine and probe has ended.
package dispatch
