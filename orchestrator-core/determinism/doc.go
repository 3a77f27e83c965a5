// Package determinism keeps replays possible: it pins replica sets to
// their versions (OC-CORE-1031, OC-CORE-1032) and gives every job a seed
// (OC-CORE-1034).
//
// A replica set is the group of replicas that may substitute for each
// other: same engine, engine_version, sampler_profile_version and
// model_digest. [Key] derives a set id from those four values, so a new
// engine_version or model_digest always yields a new set.
//
// Seed rule: a seed given by the client is carried unchanged. Otherwise
// the seed is the FNV-1a 64-bit hash of the bytes
// pool_id + 0x00 + task_id, and the job records that the core assigned
// it. The same pool and task id always give the same seed, across runs,
// restarts and builds.
//
// Guarantees:
//   - Registering a replica whose versions differ from its set's pinned
//     versions is refused with an *Error naming the first differing field
//     (engine, engine_version, sampler_profile_version, model_digest).
//   - A set id is never reused with other versions. An empty engine,
//     engine_version or sampler_profile_version is refused. An empty
//     model_digest means the engine reports none (llama.cpp's /props has
//     no digest field): the set pins the digest as unknown, so only
//     replicas that report none join it, a replica that reports one
//     belongs to another set, and identical model files across the set
//     are the operator's to ensure (the determinism suite compares
//     model_path).
//   - [Registry.MayRetry] answers true only for a replica registered in
//     the job's own set: retries never cross sets.
//   - Nothing here reads a clock, a random source or map order.
//   - The zero Registry is an empty registry, ready to use.
//   - A Registry is not safe for concurrent use; its owner serializes.
package determinism
