package model

// History is what earlier runs said, newest last, as read from a history
// directory; the HTML shows it per requirement and as a trend.
type History struct {
	// Runs are the runs read, oldest first, this run included.
	Runs []RunSummary
	// Last maps a requirement ID to the index in Runs of the newest run
	// that proved it; ProvenIn counts the runs among Runs that proved it.
	Last     map[string]int
	ProvenIn map[string]int
}

// RunSummary is one run's counts.
type RunSummary struct {
	Time    string `json:"time"`
	Commit  string `json:"commit,omitempty"`
	Proven  int    `json:"proven"`
	Failing int    `json:"failing"`
	Total   int    `json:"total"`
}
