package load

import (
	"fmt"
	"strconv"
	"strings"

	"orchcore.dev/contracts/config-schema/config"
)

// semantics checks what the schema cannot express: uniqueness, references
// between sections and relations between fields. It runs only on a
// structurally valid tree, so every location it names exists.
func semantics(t *tree, c *config.Config) {
	errAt := func(loc []string, msg string) {
		e := t.at(loc)
		t.report(e.node, e.path, msg)
	}
	idx := strconv.Itoa

	names := unique[string]{}
	ranks := unique[int]{}
	for i, pc := range c.PriorityClasses {
		if prev, dup := names.add(pc.Name, i); dup {
			errAt([]string{"priority_classes", idx(i), "name"},
				fmt.Sprintf("duplicate class name %q (also priority_classes[%d]); expected unique names", pc.Name, prev))
		}
		if prev, dup := ranks.add(pc.Rank, i); dup {
			errAt([]string{"priority_classes", idx(i), "rank"},
				fmt.Sprintf("duplicate rank %d (also priority_classes[%d]); expected unique ranks", pc.Rank, prev))
		}
	}

	pools := unique[string]{}
	for i, p := range c.Pools {
		if prev, dup := pools.add(p.ID, i); dup {
			errAt([]string{"pools", idx(i), "id"},
				fmt.Sprintf("duplicate pool id %q (also pools[%d]); expected unique ids", p.ID, prev))
		}
	}

	sets := unique[string]{}
	for i, rs := range c.ReplicaSets {
		if prev, dup := sets.add(rs.ID, i); dup {
			errAt([]string{"replica_sets", idx(i), "id"},
				fmt.Sprintf("duplicate replica set id %q (also replica_sets[%d]); expected unique ids", rs.ID, prev))
		}
		if _, ok := pools[rs.Pool]; !ok {
			errAt([]string{"replica_sets", idx(i), "pool"},
				fmt.Sprintf("unknown pool %q; expected one of the pool ids: %s", rs.Pool, strings.Join(poolIDs(c), ", ")))
		}
	}

	tenants := unique[string]{}
	for i, q := range c.Quotas {
		if prev, dup := tenants.add(q.Tenant, i); dup {
			errAt([]string{"quotas", idx(i), "tenant"},
				fmt.Sprintf("duplicate quota for tenant %q (also quotas[%d]); expected one quota per tenant", q.Tenant, prev))
		}
	}

	// A token capacity below the largest request the guardrails allow
	// would refuse such a request whatever the queue holds.
	if max := int64(c.Guardrails.MaxRequestTokens); max > 0 {
		for i, pc := range c.PriorityClasses {
			if pc.CapacityTokens > 0 && pc.CapacityTokens < max {
				errAt([]string{"priority_classes", idx(i), "capacity_tokens"},
					fmt.Sprintf("capacity_tokens %d is below guardrails.max_request_tokens %d; expected 0 (none) or at least %d", pc.CapacityTokens, max, max))
			}
		}
		for i, p := range c.Pools {
			if p.CapacityTokens > 0 && p.CapacityTokens < max {
				errAt([]string{"pools", idx(i), "capacity_tokens"},
					fmt.Sprintf("capacity_tokens %d is below guardrails.max_request_tokens %d; expected 0 (none) or at least %d", p.CapacityTokens, max, max))
			}
		}
	}

	// guard_permille 0 is the default; 1..999 would make the guard act on
	// a replica less loaded than the least-loaded one, which cannot be.
	if pr := c.Placement.Prefix; pr != nil && pr.GuardPermille > 0 && pr.GuardPermille < 1000 {
		errAt([]string{"placement", "prefix", "guard_permille"},
			fmt.Sprintf("guard_permille %d is below 1000; expected 0 (the default, 1250) or at least 1000", pr.GuardPermille))
	}

	// Enabled preemption needs a budget; an absent field is reported at
	// its section's line, still under its own path.
	if pr := c.Placement.Preemption; pr.Enabled {
		fieldAt := func(name, msg string) {
			e := t.at([]string{"placement", "preemption", name})
			t.report(e.node, "placement.preemption."+name, msg)
		}
		if pr.MaxPerWindow < 1 {
			fieldAt("max_per_window", fmt.Sprintf("max_per_window %d with preemption enabled; expected at least 1", pr.MaxPerWindow))
		}
		if pr.WindowMs < 1 {
			fieldAt("window_ms", fmt.Sprintf("window_ms %d with preemption enabled; expected at least 1", pr.WindowMs))
		}
	}

	if r := c.Retry; r.BaseMs > 0 && r.CapMs > 0 && r.CapMs < r.BaseMs {
		errAt([]string{"retry", "cap_ms"},
			fmt.Sprintf("cap_ms %d is below base_ms %d; expected cap_ms >= base_ms", r.CapMs, r.BaseMs))
	}
}

// unique remembers the first index of each value.
type unique[K comparable] map[K]int

func (u unique[K]) add(k K, i int) (prev int, dup bool) {
	if prev, dup = u[k]; dup {
		return prev, true
	}
	u[k] = i
	return 0, false
}

func poolIDs(c *config.Config) []string {
	out := make([]string, len(c.Pools))
	for i, p := range c.Pools {
		out[i] = p.ID
	}
	return out
}
