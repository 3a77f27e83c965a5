package featuretags_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"orchcore.dev/test-harness/bdd/internal/featuretags"
)

const sample = `@area @OC-CORE-1001
Feature: F

  @OC-CORE-1002..1003
  Scenario: One
    Given a step

  Scenario Outline: Two
    Given a <x>

    @OC-CORE-1009
    Examples:
      | x |
      | 1 |
      | 2 |
`

const untagged = `@area
Feature: G

  Scenario: Three
    Given a step
`

func TestRead(t *testing.T) {
	fsys := fstest.MapFS{
		"features/a/f.feature": {Data: []byte(sample)},
		"features/readme.md":   {Data: []byte("@OC-CORE-1999 is not a feature")},
		"features/b.feature":   {Data: []byte(untagged)},
	}
	got, err := featuretags.Read(fsys, "features")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"OC-CORE-1001", "OC-CORE-1002", "OC-CORE-1003", "OC-CORE-1009"}
	if !slices.Equal(got.IDs(), want) {
		t.Fatalf("IDs = %v, want %v", got.IDs(), want)
	}
	if l := got[""]; len(l) != 1 || l[0] != "features/b.feature: Three" {
		t.Fatalf("untagged = %v, want the one scenario of b.feature", l)
	}
	// The feature tag reaches both scenarios; the outline counts once.
	if l := got["OC-CORE-1001"]; !slices.Equal(l, []string{"features/a/f.feature: One", "features/a/f.feature: Two"}) {
		t.Fatalf("OC-CORE-1001 scenarios = %v", l)
	}
}

func TestReadBad(t *testing.T) {
	bad := fstest.MapFS{"f.feature": {Data: []byte("Feature: F\n  Scenario: S\n    Given x\n    this line is not Gherkin\n")}}
	if _, err := featuretags.Read(bad, "."); err == nil {
		t.Fatal("a malformed feature must be an error")
	}
	rng := fstest.MapFS{"f.feature": {Data: []byte("Feature: F\n  @OC-CORE-1009..1001\n  Scenario: S\n    Given x\n")}}
	if _, err := featuretags.Read(rng, "."); err == nil {
		t.Fatal("a reversed range tag must be an error")
	}
}
