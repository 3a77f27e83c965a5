package promexport

import "orchcore.dev/contracts/metrics"

// feed is a metric the exporter writes: its type and the labels whose
// values Observe passes, in this order (the contract's order).
type feed struct {
	typ    string
	labels []string
}

// feeds is what the code writes. [New] compares it with the contract, so
// a contract change that the code does not follow is an error at start,
// not a wrong series at run time.
var feeds = map[string]feed{
	"tasks_enqueued_total":                {metrics.Counter, []string{"pool_id", "class"}},
	"tasks_started_total":                 {metrics.Counter, []string{"pool_id", "class"}},
	"tasks_canceled_total":                {metrics.Counter, []string{"pool_id", "class"}},
	"tasks_completed_total":               {metrics.Counter, []string{"pool_id", "class"}},
	"tasks_failed_total":                  {metrics.Counter, []string{"pool_id", "reason"}},
	"tasks_rejected_total":                {metrics.Counter, []string{"engine", "reason"}},
	"tasks_dropped_total":                 {metrics.Counter, []string{"pool_id", "class", "reason"}},
	"tasks_retried_total":                 {metrics.Counter, []string{"pool_id", "reason"}},
	"tasks_expired_total":                 {metrics.Counter, []string{"pool_id", "class", "reason"}},
	"tasks_preempted_total":               {metrics.Counter, []string{"pool_id", "class"}},
	"queue_depth":                         {metrics.Gauge, []string{"pool_id", "class"}},
	"admission_share":                     {metrics.Gauge, []string{"pool_id", "class", "stage"}},
	"admission_backpressure_events_total": {metrics.Counter, []string{"engine", "policy"}},
	"placement_decisions_total":           {metrics.Counter, []string{"outcome", "pinned", "fallback"}},
	"placement_candidates_considered":     {metrics.Histogram, []string{"pool_id"}},
	"placement_candidates_filtered_total": {metrics.Counter, []string{"pool_id", "reason"}},
	"latency_first_token_ms":              {metrics.Histogram, []string{"pool_id", "engine"}},
	"latency_decode_ms":                   {metrics.Histogram, []string{"pool_id", "engine"}},
	"tokens_in_total":                     {metrics.Counter, []string{"pool_id", "engine"}},
	"tokens_out_total":                    {metrics.Counter, []string{"pool_id", "engine"}},
	"kv_cache_usage_ratio":                {metrics.Gauge, []string{"pool_id", "replica_id"}},
	"gpu_utilization":                     {metrics.Gauge, []string{"pool_id", "replica_id"}},
	"vram_used_bytes":                     {metrics.Gauge, []string{"pool_id", "replica_id"}},
	"preload_outcomes_total":              {metrics.Counter, []string{"pool_id", "outcome"}},
	"watchdog_aborts_total":               {metrics.Counter, []string{"pool_id", "reason"}},
	"metrics_label_overflow_total":        {metrics.Counter, []string{"metric", "label"}},
}
