package scheduling

import "testing"

// untrusted, the invalid-entry rule the string reference (legacy_test.go)
// applies, trusts zero counts and refuses each negative one and an empty
// id, as the compiled Table does (TestPlaceInMatchesStringPath compares
// the two).
func TestUntrustedAtZero(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	ok := Replica{ID: "a", Devices: []int{0}}
	if untrusted(&ok) {
		t.Fatalf("untrusted(%+v) with zero counts = true", ok)
	}
	for i, bad := range []func(*Replica){
		func(r *Replica) { r.ID = "" },
		func(r *Replica) { r.ActiveSlots = -1 },
		func(r *Replica) { r.SlotsTotal = -1 },
		func(r *Replica) { r.FreeVRAMMB = -1 },
		func(r *Replica) { r.CtxMaxSupported = -1 },
		func(r *Replica) { r.Devices = []int{0, -1} },
	} {
		r := ok
		bad(&r)
		if !untrusted(&r) {
			t.Errorf("case %d: untrusted(%+v) = false", i, r)
		}
	}
}
