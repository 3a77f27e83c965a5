package report

import (
	"encoding/json"
	"io"

	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// Schema tags the JSON report.
const Schema = "detsuite-report/1"

// Outcomes and their exit codes.
const (
	ByteExact = "byte-exact"
	Divergent = "divergent"
	Failed    = "error"
	// Unproven: nothing diverged, but some streams withheld ids or text,
	// so byte-exactness is not proven.
	Unproven    = "incomplete"
	Interrupted = "interrupted"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitDivergent   = 1
	ExitError       = 2
	ExitInterrupted = 130
)

// MaxHuman is how many divergences the human report spells out.
const MaxHuman = 20

// Report is the outcome of one run or replay.
type Report struct {
	Schema   string `json:"schema"`
	Command  string `json:"command"`
	Result   string `json:"result"`
	ExitCode int    `json:"exit_code"`
	Error    string `json:"error,omitempty"`
	// Incomplete is set when an error or interrupt stopped the run: the
	// counts and divergences then cover only what finished before.
	Incomplete    bool `json:"incomplete"`
	PlannedTrials int  `json:"planned_trials"`
	// Trials and Streams count what completed.
	Trials          int `json:"trials"`
	Replicas        int `json:"replicas"`
	Streams         int `json:"streams"`
	UniqueOutputs   int `json:"unique_outputs"`
	DivergentTrials int `json:"divergent_trials"`
	// IncompleteTrials counts trials without a divergence in which some
	// stream's ids or text are not all known; Unproven says which and why.
	IncompleteTrials int                 `json:"incomplete_trials"`
	Params           transcript.Params   `json:"params"`
	Corpus           transcript.Corpus   `json:"corpus"`
	Engines          []transcript.Engine `json:"engines"`
	Transcript       string              `json:"transcript,omitempty"`
	Warnings         []string            `json:"warnings"`
	Divergences      []suite.Divergence  `json:"divergences"`
	Unproven         []suite.Unproven    `json:"unproven"`
}

// Outcome fills Result and ExitCode from the divergence count (or err).
func (r *Report) Outcome(err error, interrupted bool) {
	r.Schema = Schema
	switch {
	case interrupted:
		r.Result, r.ExitCode = Interrupted, ExitInterrupted
	case err != nil:
		r.Result, r.ExitCode = Failed, ExitError
	case r.DivergentTrials > 0:
		r.Result, r.ExitCode = Divergent, ExitDivergent
	case r.IncompleteTrials > 0:
		r.Result, r.ExitCode = Unproven, ExitDivergent
	default:
		r.Result, r.ExitCode = ByteExact, ExitOK
	}
	if err != nil {
		r.Error = err.Error()
	}
	r.Incomplete = err != nil || interrupted
}

// JSON writes r as indented JSON.
func JSON(w io.Writer, r Report) error {
	r.Schema = Schema
	if r.Engines == nil {
		r.Engines = []transcript.Engine{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	if r.Divergences == nil {
		r.Divergences = []suite.Divergence{}
	}
	if r.Unproven == nil {
		r.Unproven = []suite.Unproven{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
