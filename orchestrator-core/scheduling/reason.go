package scheduling

// Reason says why a candidate replica was filtered out, and why a decision
// placed nothing. The values are ordered as the filter pipeline runs, which
// is what [Decision.Reason] relies on.
type Reason uint8

// Reasons in pipeline order, cheapest check first.
const (
	// NoReason is the Reason of a decision that placed the job.
	NoReason Reason = iota
	// ReplicaInvalid: the snapshot entry cannot be trusted (an empty or
	// repeated id, a negative count; see the package doc).
	ReplicaInvalid
	// PoolUnready: the replica is not Ready (or, for a decision, no
	// candidate was Ready, including the case of no candidate at all).
	PoolUnready
	// DeviceMaskMismatch: a device of the replica lies outside its pool's
	// mask.
	DeviceMaskMismatch
	// EngineMismatch: engine, model id, model digest or quant differ from
	// the request.
	EngineMismatch
	// InsufficientCtx: the replica supports a shorter context than required.
	InsufficientCtx
	// ExtensionsUnsatisfied: the replica lacks a required extension (or
	// streaming, when required).
	ExtensionsUnsatisfied
	// NoCapacity: the replica has no free slot.
	NoCapacity
	// Saturated: the replica's load sample is above a threshold, stale,
	// missing under a maximum age, or impossible (OC-CORE-1056).
	Saturated

	// NumReasons is the length of [Decision.Filtered].
	NumReasons = int(Saturated) + 1
)

// Stable codes, as logged and returned to callers (OC-CORE-1042).
const (
	CodeReplicaInvalid        = "REPLICA_INVALID"
	CodeNoCapacity            = "NO_CAPACITY"
	CodeInsufficientCtx       = "INSUFFICIENT_CTX"
	CodeExtensionsUnsatisfied = "EXTENSIONS_UNSATISFIED"
	CodePoolUnready           = "POOL_UNREADY"
	CodeDeviceMaskMismatch    = "DEVICE_MASK_MISMATCH"
	CodeEngineMismatch        = "ENGINE_MISMATCH"
	CodeSaturated             = "SATURATED"
)

var reasonCodes = [NumReasons]string{
	NoReason:              "",
	ReplicaInvalid:        CodeReplicaInvalid,
	PoolUnready:           CodePoolUnready,
	DeviceMaskMismatch:    CodeDeviceMaskMismatch,
	EngineMismatch:        CodeEngineMismatch,
	InsufficientCtx:       CodeInsufficientCtx,
	ExtensionsUnsatisfied: CodeExtensionsUnsatisfied,
	NoCapacity:            CodeNoCapacity,
	Saturated:             CodeSaturated,
}

// String returns the stable code ("" for NoReason).
func (r Reason) String() string {
	if int(r) < NumReasons {
		return reasonCodes[r]
	}
	return "UNKNOWN"
}

// ParseReason returns the Reason whose code is s.
func ParseReason(s string) (Reason, bool) {
	for i := 1; i < NumReasons; i++ {
		if reasonCodes[i] == s {
			return Reason(i), true
		}
	}
	return NoReason, false
}
