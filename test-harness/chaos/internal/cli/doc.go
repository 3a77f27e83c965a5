// Package cli is the chaos command: run, check and help, with exit
// status 0 when every invariant holds, 1 when one is broken (or a run is
// below its validity thresholds, or its history is cut short), 2 on a
// usage, input or infrastructure error (and for an interrupted run).
package cli
