package config

// Version is the only file format version this package reads.
const Version = 1

// Admission policy names (Pool.Admission).
const (
	AdmissionReject          = "reject"
	AdmissionDropLRU         = "drop-lru"
	AdmissionShedLowPriority = "shed-low-priority"
)

// Fairness policy names (Pool.Fairness).
const (
	FairnessWeighted = "weighted"
	FairnessStrict   = "strict"
	FairnessTokens   = "weighted-tokens"
)

// Default class names and capacity.
const (
	ClassInteractive     = "interactive"
	ClassBatch           = "batch"
	ClassBackground      = "background"
	DefaultClassCapacity = 1024
)

// Limits the core enforces; the schema states the same bounds.
const (
	// MaxClasses is the largest number of priority classes.
	MaxClasses = 64
	// MaxWeight is the largest class weight. With at most MaxClasses
	// classes the weights sum to at most 64,000,000, so the fairness
	// arithmetic cannot overflow.
	MaxWeight = 1_000_000
)

// AnyTenant is the Quota.Tenant that applies to every tenant without an
// entry of its own.
const AnyTenant = "*"

// DefaultClasses returns a fresh copy of the classes used when a
// configuration names none, highest rank first.
func DefaultClasses() []PriorityClass {
	return []PriorityClass{
		{Name: ClassInteractive, Rank: 3, Weight: 6, Capacity: DefaultClassCapacity},
		{Name: ClassBatch, Rank: 2, Weight: 3, Capacity: DefaultClassCapacity},
		{Name: ClassBackground, Rank: 1, Weight: 1, Capacity: DefaultClassCapacity},
	}
}

// Classes returns a copy of the configured classes, or DefaultClasses when
// none are configured.
func (c *Config) Classes() []PriorityClass {
	if len(c.PriorityClasses) == 0 {
		return DefaultClasses()
	}
	return append([]PriorityClass(nil), c.PriorityClasses...)
}

// AdmissionPolicy returns the pool's admission policy, AdmissionReject when
// unset.
func (p Pool) AdmissionPolicy() string {
	if p.Admission == "" {
		return AdmissionReject
	}
	return p.Admission
}

// FairnessPolicy returns the pool's fairness policy, FairnessWeighted when
// unset.
func (p Pool) FairnessPolicy() string {
	if p.Fairness == "" {
		return FairnessWeighted
	}
	return p.Fairness
}

// Quota returns the quota of tenant: its own entry if there is one, else
// the AnyTenant entry. ok is false when neither exists (unlimited).
func (c *Config) Quota(tenant string) (q Quota, ok bool) {
	for _, q := range c.Quotas {
		if q.Tenant == tenant {
			return q, true
		}
	}
	for _, q := range c.Quotas {
		if q.Tenant == AnyTenant {
			return q, true
		}
	}
	return Quota{}, false
}
