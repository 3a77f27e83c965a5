package scheduling

// BreakTieBreak makes p ignore replica_id in the order, so tests can show
// that the properties catch a wrong tie-break.
func BreakTieBreak(p *Placer) { p.brokenTie = true }
