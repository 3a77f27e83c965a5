// Package seed derives independent seeded streams from one root seed, so
// that arrivals, attributes, cancels and the fault timeline never share a
// random source (OC-CHAOS-8009).
package seed
