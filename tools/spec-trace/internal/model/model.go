package model

// Schema names the version of the JSON report and Version is its number;
// they change only when a field changes meaning or disappears (new fields
// may be added within a version).
const (
	Schema  = "spec-trace/v2"
	Version = 2
)

// SchemaV1 is the previous schema; diff still reads it (its requirements
// lack text and hashes), a baseline or a pr report needs Schema.
const SchemaV1 = "spec-trace/v1"

// Levels, from RFC 2119.
const (
	Must   = "MUST"
	Should = "SHOULD"
	May    = "MAY"
)

// Requirement statuses.
const (
	Proven   = "proven"
	Failing  = "failing"
	Partial  = "partial"
	Unproven = "unproven"
	// Flaky: proven, but some proving test failed before it passed.
	Flaky = "flaky"
	// Stale: the rule changed while the tests that prove it did not.
	Stale = "stale"
	// Waived: not proven, accepted by a waiver until its expiry.
	Waived = "waived"
)

// Test statuses.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
	NotRun  = "notrun"
	// FlakyRun: a test that failed and then passed on a later attempt.
	FlakyRun = "flaky"
)

// Test kinds.
const (
	KindGo      = "go"
	KindGherkin = "gherkin"
	KindJUnit   = "junit"
)

// Kinds lists the evidence kinds.
var Kinds = []string{KindGo, KindGherkin, KindJUnit}

// Levels lists the levels in report order.
var Levels = []string{Must, Should, May}

// Statuses lists the requirement statuses in report order.
var Statuses = []string{Proven, Flaky, Stale, Waived, Failing, Partial, Unproven}

// Requirement is one spec line and the tests that reference it.
type Requirement struct {
	ID    string `json:"id"`
	Area  string `json:"area"`
	Level string `json:"level"`
	Title string `json:"title"`
	// Text is the rule after the title: the rest of the spec line and
	// any indented continuation lines, whitespace collapsed.
	Text string `json:"text"`
	// Hash is a content hash of the normalized title and text.
	Hash   string `json:"hash"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Status string `json:"status"`
	// Missing names the evidence kinds the policy requires and no
	// passing test supplied ("go", "gherkin and junit").
	Missing string `json:"missing,omitempty"`
	// Was is the status before a waiver or staleness replaced it.
	Was    string  `json:"was,omitempty"`
	Waiver *Waiver `json:"waiver,omitempty"`
	Tests  []Test  `json:"tests"`
}

// Waiver accepts a requirement that is not proven until Expires.
type Waiver struct {
	Reason  string `json:"reason"`
	Owner   string `json:"owner"`
	Expires string `json:"expires"`
	Expired bool   `json:"expired,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

// Test is one test or scenario and its combined result.
type Test struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Package string `json:"package,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Status  string `json:"status"`
	Note    string `json:"note,omitempty"`
	// Hash is a content hash of the test's source: the Go test
	// function, or the scenario's text.
	Hash string `json:"hash,omitempty"`
	// Attempts are the results of each run in order, when there was
	// more than one.
	Attempts []string `json:"attempts,omitempty"`
	// Reqs are the requirement IDs the test references; they are used
	// while building and left out of the per-requirement JSON.
	Reqs []string `json:"-"`
}

// Unknown is an ID referenced by tests that no spec defines.
type Unknown struct {
	ID    string `json:"id"`
	Tests []Test `json:"tests"`
}

// Problem is a failure that no single test carries, such as a package that
// did not build.
type Problem struct {
	Kind    string `json:"kind"`
	Package string `json:"package,omitempty"`
	Test    string `json:"test,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Problem kinds.
const (
	BuildFailed   = "build-failed"
	PackageFailed = "package-failed"
	TestFailed    = "test-failed"
	// TestFlaky: a test that references nothing failed and then passed.
	TestFlaky = "test-flaky"
)

// Counts holds how many requirements have each status.
type Counts struct {
	Total    int `json:"total"`
	Proven   int `json:"proven"`
	Failing  int `json:"failing"`
	Partial  int `json:"partial"`
	Unproven int `json:"unproven"`
	Flaky    int `json:"flaky"`
	Stale    int `json:"stale"`
	Waived   int `json:"waived"`
}

// Of returns the count for one status.
func (c Counts) Of(status string) int {
	switch status {
	case Proven:
		return c.Proven
	case Failing:
		return c.Failing
	case Partial:
		return c.Partial
	case Unproven:
		return c.Unproven
	case Flaky:
		return c.Flaky
	case Stale:
		return c.Stale
	case Waived:
		return c.Waived
	}
	return 0
}

func (c *Counts) add(status string) {
	c.Total++
	switch status {
	case Proven:
		c.Proven++
	case Failing:
		c.Failing++
	case Partial:
		c.Partial++
	case Unproven:
		c.Unproven++
	case Flaky:
		c.Flaky++
	case Stale:
		c.Stale++
	case Waived:
		c.Waived++
	}
}

// Summary counts requirements overall and per level.
type Summary struct {
	All     Counts            `json:"all"`
	ByLevel map[string]Counts `json:"by_level"`
	Tests   int               `json:"tests"`
}

// Report is the whole result of one run.
type Report struct {
	Schema       string        `json:"schema"`
	Version      int           `json:"version"`
	Summary      Summary       `json:"summary"`
	Requirements []Requirement `json:"requirements"`
	Unknown      []Unknown     `json:"unknown"`
	Problems     []Problem     `json:"problems"`
	// Notes are findings that do not fail a gate by themselves (a waiver
	// no longer needed, a policy rule for an ID no spec defines).
	Notes []string `json:"notes,omitempty"`
	// Gates are findings of the evaluation that fail --strict beyond the
	// requirement statuses: an expired waiver, a waiver for an unknown ID.
	Gates []string `json:"gates,omitempty"`
	// History is the per-requirement record of earlier runs, when a
	// history directory was given; it is not part of the JSON.
	History *History `json:"-"`
}
