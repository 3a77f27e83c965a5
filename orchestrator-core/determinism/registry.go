package determinism

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"orchcore.dev/orchestrator-core/internal/lru"
)

// DefaultIdleSets bounds the idle replica sets a Registry keeps pinned
// when no other bound is given (OC-CORE-1054).
const DefaultIdleSets = 1 << 12

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
//
// Memory is bounded (OC-CORE-1054): a set that was declared, has a
// member, or is held (a job or a retry of it is in progress) stays
// pinned; any other set is idle and goes into a least-recently-used table
// of at most the idle bound, and the set idle longest is forgotten when
// it overflows. Forgetting is safe: a set is held for as long as a task
// may still need it, and a later replica claiming a forgotten set id pins
// it anew.
type Registry struct {
	sets     map[string]Versions
	members  map[string]string // replica id -> set id
	count    map[string]int    // set id -> members
	held     map[string]int    // set id -> holds
	declared map[string]bool
	idle     *lru.List[struct{}]
	bound    int
}

// NewRegistry returns an empty Registry keeping at most DefaultIdleSets
// idle sets.
func NewRegistry() *Registry { return NewBoundedRegistry(DefaultIdleSets) }

// NewBoundedRegistry returns an empty Registry keeping at most idle idle
// sets (at least 1).
func NewBoundedRegistry(idle int) *Registry {
	return &Registry{bound: max(idle, 1)}
}

func (r *Registry) init() {
	if r.sets != nil {
		return
	}
	r.sets, r.members, r.count = map[string]Versions{}, map[string]string{}, map[string]int{}
	r.held, r.declared = map[string]int{}, map[string]bool{}
	b := r.bound
	if b == 0 { // the zero Registry
		b = DefaultIdleSets
	}
	r.idle = lru.New(b, func(set string, _ struct{}) { delete(r.sets, set) })
}

// Sets returns how many sets are pinned, idle ones included.
func (r *Registry) Sets() int { return len(r.sets) }

// settle files set as idle when nothing pins it, or takes it out of the
// idle table when something does.
func (r *Registry) settle(set string) {
	if _, ok := r.sets[set]; !ok {
		return
	}
	if r.declared[set] || r.count[set] > 0 || r.held[set] > 0 {
		r.idle.Delete(set)
		return
	}
	r.idle.Put(set, struct{}{})
}

// Hold pins set while a task may still run in it; every Hold needs one
// Release.
func (r *Registry) Hold(set string) {
	r.init()
	r.held[set]++
	r.settle(set)
}

// Release undoes one Hold.
func (r *Registry) Release(set string) {
	r.init()
	if r.held[set]--; r.held[set] <= 0 {
		delete(r.held, set)
	}
	r.settle(set)
}

// Declare pins set to v. Declaring a known set again with the same
// versions is a no-op; with other versions it is refused. Engine,
// engine_version and sampler_profile_version must be known; model_digest
// may be empty, which pins the digest as unknown: only replicas that
// report none either join the set.
func (r *Registry) Declare(set string, v Versions) error {
	if err := r.pin(set, v); err != nil {
		return err
	}
	r.declared[set] = true
	r.settle(set)
	return nil
}

// pin records set's versions, or checks them against the pinned ones.
func (r *Registry) pin(set string, v Versions) error {
	r.init()
	fs := v.fields()
	for _, f := range fs[:3] {
		if f[1] == "" {
			return &Error{Code: CodeVersionMissing, Set: set, Field: f[0]}
		}
	}
	if pinned, ok := r.sets[set]; ok {
		return mismatch(set, "", pinned, v)
	}
	r.sets[set] = v
	return nil
}

// Register adds replica to set. An unknown set is declared with v (the
// first replica pins it). The replica's versions must equal the set's.
func (r *Registry) Register(replica, set string, v Versions) error {
	r.init()
	if cur, ok := r.members[replica]; ok && cur != set {
		return &Error{Code: CodeReplicaMoved, Set: set, Replica: replica, Field: "replica_set", Want: cur, Got: set}
	}
	if err := r.pin(set, v); err != nil {
		if e, ok := err.(*Error); ok {
			e.Replica = replica
		}
		r.settle(set)
		return err
	}
	if _, ok := r.members[replica]; !ok {
		r.members[replica] = set
		r.count[set]++
	}
	r.settle(set)
	return nil
}

// Deregister removes replica (it stopped, or restarts with other
// versions and must join another set). The set stays pinned while
// something else pins it, else it becomes idle.
func (r *Registry) Deregister(replica string) {
	set, ok := r.members[replica]
	if !ok {
		return
	}
	delete(r.members, replica)
	if r.count[set]--; r.count[set] <= 0 {
		delete(r.count, set)
	}
	r.settle(set)
}

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
