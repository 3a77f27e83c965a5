package determinism

import (
	"fmt"
	"hash/fnv"
	"strconv"
)

// Versions are what a replica set pins.
type Versions struct {
	Engine                string
	EngineVersion         string
	SamplerProfileVersion string
	ModelDigest           string
}

// fields lists the pinned fields in the order they are compared.
func (v Versions) fields() [4][2]string {
	return [4][2]string{
		{"engine", v.Engine},
		{"engine_version", v.EngineVersion},
		{"sampler_profile_version", v.SamplerProfileVersion},
		{"model_digest", v.ModelDigest},
	}
}

// Key derives the id of the replica set that v defines: "rs-" and the
// FNV-1a 64 hash, in hex, of the four fields each preceded by its length.
// Any change of a field gives another key.
func Key(v Versions) string {
	h := fnv.New64a()
	for _, f := range v.fields() {
		h.Write([]byte(strconv.Itoa(len(f[1]))))
		h.Write([]byte{':'})
		h.Write([]byte(f[1]))
	}
	return fmt.Sprintf("rs-%016x", h.Sum64())
}

// Codes of *Error.
const (
	// CodeVersionMismatch: versions differ from the set's pinned ones.
	CodeVersionMismatch = "REPLICA_SET_MISMATCH"
	// CodeVersionMissing: engine, engine_version or
	// sampler_profile_version is empty.
	CodeVersionMissing = "VERSION_MISSING"
	// CodeReplicaMoved: a registered replica was registered again in
	// another set without being deregistered first.
	CodeReplicaMoved = "REPLICA_IN_OTHER_SET"
)

// Error refuses a registration and names the field at fault.
type Error struct {
	Code    string
	Set     string
	Replica string
	Field   string
	Want    string // the set's pinned value
	Got     string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: replica %q, set %q: %s is %q, want %q", e.Code, e.Replica, e.Set, e.Field, e.Got, e.Want)
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Registry records the replica sets and their members. The zero value
// is an empty registry, ready to use.
type Registry struct {
	sets    map[string]Versions
	members map[string]string // replica id -> set id
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{sets: map[string]Versions{}, members: map[string]string{}}
}

// Declare pins set to v. Declaring a known set again with the same
// versions is a no-op; with other versions it is refused. Engine,
// engine_version and sampler_profile_version must be known; model_digest
// may be empty, which pins the digest as unknown: only replicas that
// report none either join the set.
func (r *Registry) Declare(set string, v Versions) error {
	fs := v.fields()
	for _, f := range fs[:3] {
		if f[1] == "" {
			return &Error{Code: CodeVersionMissing, Set: set, Field: f[0]}
		}
	}
	if pinned, ok := r.sets[set]; ok {
		return mismatch(set, "", pinned, v)
	}
	if r.sets == nil {
		r.sets = map[string]Versions{}
	}
	r.sets[set] = v
	return nil
}

// Register adds replica to set. An unknown set is declared with v (the
// first replica pins it). The replica's versions must equal the set's.
func (r *Registry) Register(replica, set string, v Versions) error {
	if cur, ok := r.members[replica]; ok && cur != set {
		return &Error{Code: CodeReplicaMoved, Set: set, Replica: replica, Field: "replica_set", Want: cur, Got: set}
	}
	if err := r.Declare(set, v); err != nil {
		if e, ok := err.(*Error); ok {
			e.Replica = replica
		}
		return err
	}
	if r.members == nil {
		r.members = map[string]string{}
	}
	r.members[replica] = set
	return nil
}

// Deregister removes replica (it stopped, or restarts with other
// versions and must join another set). The set stays pinned.
func (r *Registry) Deregister(replica string) { delete(r.members, replica) }

// SetOf returns the set replica belongs to.
func (r *Registry) SetOf(replica string) (string, bool) {
	s, ok := r.members[replica]
	return s, ok
}

// Versions returns what set pins.
func (r *Registry) Versions(set string) (Versions, bool) {
	v, ok := r.sets[set]
	return v, ok
}

// MayRetry reports whether a job of set may be retried on replica: only
// when the replica is registered in that same set.
func (r *Registry) MayRetry(set, replica string) bool {
	s, ok := r.members[replica]
	return ok && s == set
}

func mismatch(set, replica string, want, got Versions) error {
	w, g := want.fields(), got.fields()
	for i := range w {
		if w[i][1] != g[i][1] {
			return &Error{Code: CodeVersionMismatch, Set: set, Replica: replica, Field: w[i][0], Want: w[i][1], Got: g[i][1]}
		}
	}
	return nil
}
