package cli

import (
	"fmt"
	"time"

	"orchcore.dev/tools/spec-trace/internal/history"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// appendHistory reads the last runs from --history, appends this one and
// attaches the summary to the report for the HTML.
func appendHistory(rep *model.Report, o *options) error {
	at := time.Now().UTC()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return fmt.Errorf("--time %q: want RFC 3339 such as 2026-12-01T19:00:00Z", o.now)
		}
		at = t
	}
	runs, notes, err := history.Read(o.history, history.Keep-1)
	if err != nil {
		return fmt.Errorf("--history: %w", err)
	}
	for _, n := range notes {
		rep.Notes = append(rep.Notes, "history: "+n)
	}
	run := history.FromReport(rep, at, o.commit)
	o.run = &run
	rep.History = history.Summarize(append(runs, run))
	return nil
}

// writeHistory adds this run's file, once the reports are written.
func writeHistory(o *options) error {
	if o.run == nil {
		return nil
	}
	if _, err := history.Write(o.history, *o.run); err != nil {
		return fmt.Errorf("--history: %w", err)
	}
	return nil
}
