//go:build mutants

package scheduling

// mutants are the deliberately broken variants a Placer can be switched
// to in a build with the mutants tag, so tests can show the properties
// catch them. Without the tag the type is empty (mutants_off.go).
type mutants struct {
	tie bool // ignore replica_id in the order
}

func (m mutants) brokenTie() bool { return m.tie }
