package queue

import "orchcore.dev/orchestrator-core/internal/churn"

// use counts one tenant's queued tasks and in-flight jobs.
type use struct{ queued, inflight int }

// quotas enforces per-tenant limits. Counts are kept only when at least one
// quota is configured, and a tenant's entry is deleted when both counts
// reach zero, so memory follows the active tenants.
type quotas struct {
	limits map[string]Quota
	def    Quota
	hasDef bool
	use    *churn.Map[string, use] // a plain map would grow as tenants come and go
}

func newQuotas(qs []Quota) quotas {
	if len(qs) == 0 {
		return quotas{}
	}
	c := quotas{limits: map[string]Quota{}, use: &churn.Map[string, use]{}}
	for _, q := range qs {
		if q.Tenant == "*" {
			c.def, c.hasDef = q, true
			continue
		}
		c.limits[q.Tenant] = q
	}
	return c
}

func (c *quotas) on() bool { return c.use != nil }

func (c *quotas) limit(tenant string) (Quota, bool) {
	if q, ok := c.limits[tenant]; ok {
		return q, true
	}
	return c.def, c.hasDef
}

// refuse returns the name of the quota a new queued task of tenant would
// exceed, or "".
func (c *quotas) refuse(tenant string) string {
	if !c.on() {
		return ""
	}
	l, ok := c.limit(tenant)
	if !ok {
		return ""
	}
	u, _ := c.use.Get(tenant)
	if l.MaxQueued > 0 && u.queued >= l.MaxQueued {
		return MaxQueued
	}
	if l.MaxInFlight > 0 && u.inflight >= l.MaxInFlight {
		return MaxInFlight
	}
	return ""
}

func (c *quotas) add(tenant string, dq, df int) {
	if !c.on() {
		return
	}
	u, _ := c.use.Get(tenant)
	u.queued += dq
	u.inflight += df
	u.queued, u.inflight = max(u.queued, 0), max(u.inflight, 0) // unmatched Done
	if u == (use{}) {
		c.use.Delete(tenant)
		return
	}
	c.use.Set(tenant, u)
}

func (c *quotas) queued(tenant string, d int) { c.add(tenant, d, 0) }

// Start records that a task of tenant became an in-flight job. The Pool
// calls it on dispatch.
func (q *Queue[T]) Start(tenant string) { q.quota.add(tenant, 0, 1) }

// Done records that an in-flight job of tenant ended. The Pool calls it on
// every terminal state after dispatch.
func (q *Queue[T]) Done(tenant string) { q.quota.add(tenant, 0, -1) }

// Usage returns tenant's queued and in-flight counts as the quotas see
// them (both zero when no quota is configured).
func (q *Queue[T]) Usage(tenant string) (queued, inflight int) {
	if q.quota.use == nil {
		return 0, 0
	}
	u, _ := q.quota.use.Get(tenant)
	return u.queued, u.inflight
}
