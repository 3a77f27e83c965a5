package scheduling

// Outcomes returns the outcome of every replica in p's last decision,
// by snapshot index (NoReason for a feasible one), so that a test can
// build a broken placer around a real one.
func Outcomes(p *Placer) []Reason { return p.out }
