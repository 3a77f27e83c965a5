package scheduling

// Replica is one engine process as the last observation saw it.
type Replica struct {
	ID                    string
	PoolID                string
	ReplicaSet            string
	Engine                string
	EngineVersion         string
	SamplerProfileVersion string
	ModelID               string
	ModelDigest           string
	Quant                 string
	Ready                 bool
	Devices               []int
	FreeVRAMMB            int64
	ActiveSlots           int
	SlotsTotal            int
	// CtxMaxSupported is the user-visible context the replica serves
	// (already net of template overhead, see [UsableCtx]).
	CtxMaxSupported int
	// Features are the extensions the replica supports, plus
	// [FeatureStreaming] when it streams.
	Features []string
	// Sampled says the load fields below come from a sample of the
	// engine; without one they are unknown (OC-CORE-1056).
	Sampled bool
	// QueueDepth is the engine's own queue of waiting requests;
	// KVPermille its KV-cache utilization in per mille (0..1000);
	// SampleAgeMs how old the sample is.
	QueueDepth  int
	KVPermille  int
	SampleAgeMs int64
	// CacheReported says the engine reported the prompt blocks it holds,
	// Cached (chained hashes, most useful first); the pool then replaces
	// what it learned of the replica by them (OC-CORE-1055).
	CacheReported bool
	Cached        []uint64
}

// Pool is a placement scope: a set of replicas on the devices of its mask.
type Pool struct {
	ID string
	// DeviceMask lists the devices the pool may use. A replica is inside
	// the mask when it reports at least one device and each of its
	// devices is listed; a replica without devices is outside every
	// non-empty mask. An empty mask means any device, or none (as in the
	// configuration).
	DeviceMask []int
}

// Snapshot is one consistent view of the pools and replicas.
type Snapshot struct {
	// Pools in scope. Without a pin, every listed pool is searched; with a
	// pin, the pin must name one of them.
	Pools    []Pool
	Replicas []Replica
}
