package load_test

import (
	"strings"
	"testing"

	"orchcore.dev/contracts/config-schema/load"
)

// A replica set may omit model_digest (an engine such as llama.cpp
// reports none); an empty one is still refused, and so is a missing
// engine_version.
func TestReplicaSetDigestOptional(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6040")
	base := "version: 1\npools: [{id: p, model_id: m}]\nreplica_sets:\n  - {id: rs, pool: p, engine: llamacpp, engine_version: b4748, sampler_profile_version: sp1%s}\n"
	for _, c := range []struct {
		extra, want string // want: "" valid, else a substring of the one diagnostic
	}{
		{"", ""},
		{", model_digest: sha256:aa", ""},
		{`, model_digest: ""`, "replica_sets[0].model_digest"},
	} {
		src := strings.Replace(base, "%s", c.extra, 1)
		_, diags, err := load.Parse("rs.yaml", []byte(src), load.Strict)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == "" && len(diags) > 0:
			t.Errorf("%q: %v, want valid", c.extra, diags)
		case c.want != "" && (len(diags) != 1 || !strings.Contains(diags[0].String(), c.want)):
			t.Errorf("%q: %v, want one diagnostic naming %s", c.extra, diags, c.want)
		}
	}
	src := "version: 1\npools: [{id: p, model_id: m}]\nreplica_sets:\n  - {id: rs, pool: p, engine: llamacpp, sampler_profile_version: sp1}\n"
	if _, diags, _ := load.Parse("rs.yaml", []byte(src), load.Strict); len(diags) == 0 {
		t.Error("a replica set without engine_version is valid")
	}
}

// ttl_ms is at least 1 when given: 0 and negative values are located
// errors, an absent one means no TTL.
func TestClassTTLBounds(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	t.Attr("req", "OC-CORE-1050")
	for _, c := range []struct {
		ttl  string
		want string // "" valid, else a substring of the one diagnostic
	}{
		{"", ""},
		{", ttl_ms: 1", ""},
		{", ttl_ms: 30000", ""},
		{", ttl_ms: 0", "rs.yaml:4:56: priority_classes[0].ttl_ms: expected a value >= 1, got 0"},
		{", ttl_ms: -5", "priority_classes[0].ttl_ms"},
		{", ttl_ms: soon", "priority_classes[0].ttl_ms"},
	} {
		src := "version: 1\npools: [{id: p, model_id: m}]\npriority_classes:\n  - {name: c, rank: 1, weight: 1, capacity: 4" + c.ttl + "}\n"
		_, diags, err := load.Parse("rs.yaml", []byte(src), load.Strict)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == "" && len(diags) > 0:
			t.Errorf("%q: %v, want valid", c.ttl, diags)
		case c.want != "" && (len(diags) != 1 || !strings.Contains(diags[0].String(), c.want)):
			t.Errorf("%q: %v, want one diagnostic with %s", c.ttl, diags, c.want)
		}
	}
}

// capacity_tokens: 0 or absent means none; negative is a located error;
// below guardrails.max_request_tokens it could never hold the largest
// allowed request, which is refused too.
func TestTokenCapacities(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	t.Attr("req", "OC-CORE-1051")
	for _, c := range []struct {
		class, pool, guard string
		want               string
	}{
		{"", "", "", ""},
		{", capacity_tokens: 4096", ", capacity_tokens: 16384", "", ""},
		{", capacity_tokens: 4096", "", "guardrails: {max_request_tokens: 4096}\n", ""},
		{", capacity_tokens: 0", "", "", ""},
		{", capacity_tokens: -1", "", "", "priority_classes[0].capacity_tokens"},
		{", capacity_tokens: 1000", "", "guardrails: {max_request_tokens: 4096}\n",
			"priority_classes[0].capacity_tokens: capacity_tokens 1000 is below guardrails.max_request_tokens 4096"},
		{"", ", capacity_tokens: 2000", "guardrails: {max_request_tokens: 4096}\n", "pools[0].capacity_tokens"},
	} {
		src := "version: 1\n" + c.guard + "pools: [{id: p, model_id: m" + c.pool + "}]\npriority_classes:\n  - {name: c, rank: 1, weight: 1, capacity: 4" + c.class + "}\n"
		_, diags, err := load.Parse("tok.yaml", []byte(src), load.Strict)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == "" && len(diags) > 0:
			t.Errorf("%+v: %v, want valid", c, diags)
		case c.want != "" && (len(diags) != 1 || !strings.Contains(diags[0].String(), c.want)):
			t.Errorf("%+v: %v, want one diagnostic with %s", c, diags, c.want)
		}
	}
}

// tenant_order is fifo or round-robin; anything else is a located error.
func TestTenantOrder(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	t.Attr("req", "OC-CORE-1053")
	for _, c := range []struct{ order, want string }{
		{"", ""}, {", tenant_order: fifo", ""}, {", tenant_order: round-robin", ""},
		{", tenant_order: lottery", `priority_classes[0].tenant_order: expected one of "fifo", "round-robin", got "lottery"`},
	} {
		src := "version: 1\npools: [{id: p, model_id: m}]\npriority_classes:\n  - {name: c, rank: 1, weight: 1, capacity: 4" + c.order + "}\n"
		_, diags, err := load.Parse("t.yaml", []byte(src), load.Strict)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == "" && len(diags) > 0:
			t.Errorf("%q: %v, want valid", c.order, diags)
		case c.want != "" && (len(diags) != 1 || !strings.Contains(diags[0].String(), c.want)):
			t.Errorf("%q: %v, want one diagnostic with %s", c.order, diags, c.want)
		}
	}
}
