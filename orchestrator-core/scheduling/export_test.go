//go:build mutants

package scheduling

// BreakTieBreak makes p ignore replica_id in the order, so tests can show
// that the properties catch a wrong tie-break (run with -tags mutants).
func BreakTieBreak(p *Placer) { p.mutants.tie = true }
