package determinism_test

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

var v1 = determinism.Versions{Engine: "llamacpp", EngineVersion: "b4000", SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}

func TestRegisterRefusesDifferentVersions(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*determinism.Versions)
	}{
		{"engine", func(v *determinism.Versions) { v.Engine = "vllm" }},
		{"engine_version", func(v *determinism.Versions) { v.EngineVersion = "b4001" }},
		{"sampler_profile_version", func(v *determinism.Versions) { v.SamplerProfileVersion = "sp2" }},
		{"model_digest", func(v *determinism.Versions) { v.ModelDigest = "sha256:bb" }},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1031")
			r := determinism.NewRegistry()
			if err := r.Register("r1", "s1", v1); err != nil {
				t.Fatal(err)
			}
			other := v1
			c.edit(&other)
			err := r.Register("r2", "s1", other)
			var e *determinism.Error
			if !errors.As(err, &e) || e.Code != determinism.CodeVersionMismatch || e.Field != c.field || e.Replica != "r2" || e.Set != "s1" {
				t.Fatalf("err = %v, want mismatch on %s", err, c.field)
			}
			if !errors.Is(err, &determinism.Error{Code: determinism.CodeVersionMismatch}) {
				t.Fatal("errors.Is does not match the code")
			}
			if _, ok := r.SetOf("r2"); ok {
				t.Fatal("refused replica was registered")
			}
			if got, _ := r.Versions("s1"); got != v1 {
				t.Fatalf("set repinned to %+v", got)
			}
		})
	}
}

func TestNewVersionsMeanNewSet(t *testing.T) {
	t.Attr("req", "OC-CORE-1032")
	bumped := []determinism.Versions{v1, v1, v1, v1}
	bumped[0].Engine = "vllm"
	bumped[1].EngineVersion = "b4001"
	bumped[2].SamplerProfileVersion = "sp2"
	bumped[3].ModelDigest = "sha256:bb"
	keys := map[string]bool{determinism.Key(v1): true}
	for _, b := range bumped {
		keys[determinism.Key(b)] = true
	}
	if len(keys) != 5 {
		t.Fatalf("keys collide: %v", keys)
	}
	// Pinned vector computed outside Go (Python FNV-1a 64 over
	// "8:llamacpp5:b40003:sp19:sha256:aa"): set ids survive restarts.
	if got := determinism.Key(v1); got != "rs-67b04424ec9cb06b" {
		t.Fatalf("Key(v1) = %s", got)
	}
	// Field boundaries matter: moving a byte between fields changes the key.
	a := determinism.Versions{Engine: "ab", EngineVersion: "c", SamplerProfileVersion: "x", ModelDigest: "y"}
	b := determinism.Versions{Engine: "a", EngineVersion: "bc", SamplerProfileVersion: "x", ModelDigest: "y"}
	if determinism.Key(a) == determinism.Key(b) {
		t.Fatal("Key ignores field boundaries")
	}
	// A restarted replica with a new engine version joins a new set.
	r := determinism.NewRegistry()
	if err := r.Register("r1", determinism.Key(v1), v1); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("r1", determinism.Key(bumped[1]), bumped[1]); !errors.Is(err, &determinism.Error{Code: determinism.CodeReplicaMoved}) {
		t.Fatalf("moved without deregistering: %v", err)
	}
	r.Deregister("r1")
	if err := r.Register("r1", determinism.Key(bumped[1]), bumped[1]); err != nil {
		t.Fatal(err)
	}
	if s, _ := r.SetOf("r1"); s != determinism.Key(bumped[1]) {
		t.Fatalf("SetOf = %s", s)
	}
	// Reusing an old set id with the new versions is refused.
	if err := r.Declare(determinism.Key(v1), bumped[1]); !errors.Is(err, &determinism.Error{Code: determinism.CodeVersionMismatch}) {
		t.Fatalf("set id reused with other versions: %v", err)
	}
}

func TestMissingVersionRefused(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	for field, clear := range map[string]func(*determinism.Versions){
		"engine":                  func(v *determinism.Versions) { v.Engine = "" },
		"engine_version":          func(v *determinism.Versions) { v.EngineVersion = "" },
		"sampler_profile_version": func(v *determinism.Versions) { v.SamplerProfileVersion = "" },
	} {
		r := determinism.NewRegistry()
		v := v1
		clear(&v)
		err := r.Register("r1", "s1", v)
		var e *determinism.Error
		if !errors.As(err, &e) || e.Code != determinism.CodeVersionMissing || e.Field != field {
			t.Fatalf("%s empty: err = %v", field, err)
		}
	}
}

// TestUnknownDigestIsPinned: an engine that reports no model digest
// (llama.cpp's /props has none) still forms a replica set. The set pins
// the digest as unknown: a replica reporting a digest does not join it,
// and its Key differs from the key of any set with a known digest.
func TestUnknownDigestIsPinned(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	t.Attr("req", "OC-CORE-1032")
	r := determinism.NewRegistry()
	unknown := v1
	unknown.ModelDigest = ""
	if err := r.Register("r1", "s1", unknown); err != nil {
		t.Fatalf("a set with an unknown digest is refused: %v", err)
	}
	if err := r.Register("r2", "s1", unknown); err != nil {
		t.Fatalf("a second replica without a digest: %v", err)
	}
	err := r.Register("r3", "s1", v1)
	var e *determinism.Error
	if !errors.As(err, &e) || e.Code != determinism.CodeVersionMismatch || e.Field != "model_digest" || e.Want != "" {
		t.Fatalf("a replica with a digest joined a set with none: %v", err)
	}
	if determinism.Key(unknown) == determinism.Key(v1) {
		t.Fatal("unknown and known digests give one set key")
	}
}

func TestRetriesStayInSet(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	r := determinism.NewRegistry()
	v2 := v1
	v2.EngineVersion = "b4001"
	for _, reg := range []struct {
		id, set string
		v       determinism.Versions
	}{{"a", "s1", v1}, {"b", "s1", v1}, {"c", "s2", v2}} {
		if err := r.Register(reg.id, reg.set, reg.v); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		set, replica string
		want         bool
	}{{"s1", "a", true}, {"s1", "b", true}, {"s1", "c", false}, {"s2", "c", true}, {"s1", "zz", false}, {"s3", "a", false}} {
		if got := r.MayRetry(c.set, c.replica); got != c.want {
			t.Errorf("MayRetry(%s, %s) = %v, want %v", c.set, c.replica, got, c.want)
		}
	}
	r.Deregister("b")
	if r.MayRetry("s1", "b") {
		t.Error("deregistered replica still accepted")
	}
}

// Model-based: the registry agrees with a map of pinned versions.
// registry is what the property drives: the Registry, or a broken wrapper.
type registry interface {
	Register(replica, set string, v determinism.Versions) error
	Deregister(replica string)
	SetOf(replica string) (string, bool)
	Versions(set string) (determinism.Versions, bool)
	MayRetry(set, replica string) bool
}

func TestPropertyRegistry(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	rapid.Check(t, registryMachine(func() registry { return determinism.NewRegistry() }))
}

// mover lets a replica change sets silently, so a running job's retries
// could land in another set: the property must reject it.
type mover struct{ *determinism.Registry }

func (m mover) Register(replica, set string, v determinism.Versions) error {
	m.Deregister(replica)
	return m.Registry.Register(replica, set, v)
}

func TestPropertyCatchesSilentMove(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	failed, _ := proptest.Fails(t, registryMachine(func() registry { return mover{determinism.NewRegistry()} }))
	if !failed {
		t.Fatal("the property accepted a replica moving between sets")
	}
}

func registryMachine(newReg func() registry) func(*rapid.T) {
	return func(t *rapid.T) {
		r := newReg()
		sets := map[string]determinism.Versions{}
		members := map[string]string{}
		genV := func(t *rapid.T) determinism.Versions {
			return determinism.Versions{
				Engine:                rapid.SampledFrom([]string{"e1", "e2"}).Draw(t, "engine"),
				EngineVersion:         rapid.SampledFrom([]string{"v1", "v2"}).Draw(t, "ev"),
				SamplerProfileVersion: rapid.SampledFrom([]string{"s1", "s2"}).Draw(t, "sp"),
				ModelDigest:           rapid.SampledFrom([]string{"d1", "d2", ""}).Draw(t, "digest"),
			}
		}
		replicas := []string{"r1", "r2", "r3", "r4"}
		t.Repeat(map[string]func(*rapid.T){
			"register": func(t *rapid.T) {
				id := rapid.SampledFrom(replicas).Draw(t, "replica")
				set := rapid.SampledFrom([]string{"A", "B", "C"}).Draw(t, "set")
				v := genV(t)
				pinned, known := sets[set]
				cur, member := members[id]
				wantOK := (!member || cur == set) && (!known || pinned == v) // an empty digest is a value: unknown
				err := r.Register(id, set, v)
				if (err == nil) != wantOK {
					t.Fatalf("Register(%s, %s, %+v) = %v, model says ok=%v", id, set, v, err, wantOK)
				}
				if wantOK {
					sets[set], members[id] = v, set
				}
			},
			"deregister": func(t *rapid.T) {
				id := rapid.SampledFrom(replicas).Draw(t, "replica")
				r.Deregister(id)
				delete(members, id)
			},
			"": func(t *rapid.T) {
				for _, id := range replicas {
					for _, set := range []string{"A", "B", "C"} {
						if r.MayRetry(set, id) != (members[id] == set) {
							t.Fatalf("MayRetry(%s, %s) disagrees with model", set, id)
						}
					}
					if s, ok := r.SetOf(id); ok {
						got, _ := r.Versions(s)
						if got != sets[s] {
							t.Fatalf("set %s pins %+v, model %+v", s, got, sets[s])
						}
					}
				}
			},
		})
	}
}

func ExampleRegistry_Register() {
	r := determinism.NewRegistry()
	v := determinism.Versions{Engine: "llamacpp", EngineVersion: "b4000", SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}
	set := determinism.Key(v)
	fmt.Println(r.Register("r1", set, v))
	v.EngineVersion = "b4001"
	fmt.Println(r.Register("r2", set, v))
	// Output:
	// <nil>
	// REPLICA_SET_MISMATCH: replica "r2", set "rs-67b04424ec9cb06b": engine_version is "b4001", want "b4000"
}
