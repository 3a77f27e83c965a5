package history

import "orchcore.dev/orchestrator-core/observe"

// FromEvent is the record of a core lifecycle event; ok is false for
// events that are not about a task (replica samples, preloads).
func FromEvent(e observe.Event) (Record, bool) {
	if e.Kind == observe.Replica || e.Kind == observe.Preload {
		return Record{}, false
	}
	return Record{Type: KindCore, Event: e.Kind.String(), Task: e.TaskID, Job: e.JobID,
		Class: e.Class, Tenant: e.Tenant, Session: e.SessionID, Replica: e.ReplicaID, Reason: e.Reason,
		Attempt: e.Attempt, DelayMs: e.DelayMs, Tokens: e.Tokens, QueueMs: e.QueueTimeMs,
		FirstTokenMs: e.FirstTokenMs, DecodeMs: e.DecodeTimeMs, FirstToken: e.FirstToken, Depth: e.ClassDepth}, true
}
