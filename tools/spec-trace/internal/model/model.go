package model

// Schema names the version of the JSON report and Version is its number;
// they change only when a field changes meaning or disappears (new fields
// may be added within a version).
const (
	Schema  = "spec-trace/v1"
	Version = 1
)

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
)

// Test statuses.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
	NotRun  = "notrun"
)

// Test kinds.
const (
	KindGo      = "go"
	KindGherkin = "gherkin"
)

// Levels lists the levels in report order.
var Levels = []string{Must, Should, May}

// Statuses lists the requirement statuses in report order.
var Statuses = []string{Proven, Failing, Partial, Unproven}

// Requirement is one spec line and the tests that reference it.
type Requirement struct {
	ID     string `json:"id"`
	Area   string `json:"area"`
	Level  string `json:"level"`
	Title  string `json:"title"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Status string `json:"status"`
	Tests  []Test `json:"tests"`
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
)

// Counts holds how many requirements have each status.
type Counts struct {
	Total    int `json:"total"`
	Proven   int `json:"proven"`
	Failing  int `json:"failing"`
	Partial  int `json:"partial"`
	Unproven int `json:"unproven"`
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
}
