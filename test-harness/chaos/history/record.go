package history

// Record kinds (the "type" field).
const (
	KindRun     = "run"     // the header: seed, config, command, plan
	KindCore    = "core"    // a core lifecycle event (Event names it)
	KindNext    = "next"    // the dispatcher is about to call Pool.Next
	KindReplica = "replica" // an observation: down, up, not_ready, ready
	KindFault   = "fault"   // start, end, verify of one fault
	KindClient  = "client"  // a client action: cancel
	KindEnd     = "end"     // the run ended; Drained says whether fully
)

// Replica observations (Event of a KindReplica record).
const (
	ObsDown     = "down"
	ObsUp       = "up"
	ObsNotReady = "not_ready"
	ObsReady    = "ready"
)

// Fault events (Event of a KindFault record).
const (
	FaultStart  = "start"
	FaultEnd    = "end"
	FaultVerify = "verify"
)

// Record is one line of the history. Fields that do not apply are empty.
type Record struct {
	Seq  int64  `json:"seq"`
	Ms   int64  `json:"ms"`
	Type string `json:"type"`
	// Event is the core event name (admitted, dispatched, ...), the
	// replica observation, the fault event or the client action.
	Event string `json:"event,omitempty"`

	Task    string `json:"task,omitempty"`
	Job     string `json:"job,omitempty"`
	Class   string `json:"class,omitempty"`
	Tenant  string `json:"tenant,omitempty"`
	Session string `json:"session,omitempty"`
	Replica string `json:"replica,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
	DelayMs int64  `json:"delay_ms,omitempty"`
	Tokens  int    `json:"tokens,omitempty"`
	// QueueMs, FirstTokenMs and DecodeMs are the core's latency fields.
	QueueMs      int64 `json:"queue_ms,omitempty"`
	FirstTokenMs int64 `json:"first_token_ms,omitempty"`
	DecodeMs     int64 `json:"decode_ms,omitempty"`
	FirstToken   bool  `json:"first_token,omitempty"`
	// Depth is the event class's queued count after a core event.
	Depth int `json:"depth,omitempty"`

	// Fault fields: Fault is the fault id, Kind its kind, OK the
	// verification's result and Detail what it saw.
	Fault  string `json:"fault,omitempty"`
	Kind   string `json:"kind,omitempty"`
	OK     *bool  `json:"ok,omitempty"`
	Detail string `json:"detail,omitempty"`

	// Result is a client cancel's core.CancelResult (or the error code).
	Result string `json:"result,omitempty"`

	Header *Header `json:"header,omitempty"`
	// Drained and Incomplete are set on the end record.
	Drained    bool `json:"drained,omitempty"`
	Incomplete bool `json:"incomplete,omitempty"`
	// Stats is, on the end record, the pool's own share accounting.
	Stats []ClassCount `json:"stats,omitempty"`
}

// ClassCount is one class's counts as the pool's Stats reported them.
type ClassCount struct {
	Class      string  `json:"class"`
	Admitted   uint64  `json:"admitted"`
	Dispatched uint64  `json:"dispatched"`
	Share      float64 `json:"dispatch_share"`
}

// Class is one priority class as the checkers need it.
type Class struct {
	Name   string `json:"name"`
	Rank   int    `json:"rank"`
	Weight int    `json:"weight"`
}

// Retry is the backoff policy the run used.
type Retry struct {
	BaseMs      int64  `json:"base_ms"`
	CapMs       int64  `json:"cap_ms"`
	MaxAttempts int    `json:"max_attempts"`
	Seed        uint64 `json:"seed"`
}

// Thresholds are the run's validity thresholds (OC-CHAOS-8008).
type Thresholds struct {
	// MinTasksPerClass is the least number of admitted tasks per class.
	MinTasksPerClass int `json:"min_tasks_per_class"`
	// MinBacklogFraction: a class without refusals counts as overloaded
	// when it was backlogged at least this fraction of first dispatches.
	MinBacklogFraction float64 `json:"min_backlog_fraction"`
	// MinFaultDispatches is the least number of dispatches during each
	// fault window (the load must meet the fault).
	MinFaultDispatches int `json:"min_fault_dispatches"`
	// MinCompletedPerSec is the least goodput over the load phase.
	MinCompletedPerSec float64 `json:"min_completed_per_sec"`
}

// Header is the first record: everything needed to re-check the run.
type Header struct {
	Version  int      `json:"version"`
	Seed     uint64   `json:"seed"`
	Command  []string `json:"command"`
	Provider string   `json:"provider"`
	Fairness string   `json:"fairness"`
	Classes  []Class  `json:"classes"`
	Retry    Retry    `json:"retry"`
	Replicas []string `json:"replicas"`
	// DurationMs is the load phase; DrainMs the drain bound after it.
	DurationMs int64      `json:"duration_ms"`
	DrainMs    int64      `json:"drain_ms"`
	Rate       float64    `json:"rate"`
	Thresholds Thresholds `json:"thresholds"`
	// ExpectStarvation marks a run made to show starvation (strict
	// policy): a starved class is then the expected finding.
	ExpectStarvation bool `json:"expect_starvation,omitempty"`
	// Plan is the seeded plan: the fault timeline and arrival digest.
	Plan any `json:"plan,omitempty"`
}

// HeaderVersion is the version of the header layout.
const HeaderVersion = 1

// Bool returns a pointer to b, for Record.OK.
func Bool(b bool) *bool { return &b }
