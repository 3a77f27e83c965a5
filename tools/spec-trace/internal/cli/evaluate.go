package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/policy"
	"orchcore.dev/tools/spec-trace/internal/spec"
	"orchcore.dev/tools/spec-trace/internal/waiver"
)

// PolicyFile and WaiverFile are the default places, relative to the root.
const (
	PolicyFile = spec.Dir + "/trace-policy.yaml"
	WaiverFile = spec.Dir + "/waivers.yaml"
)

// evaluate applies, in order, the baseline (stale), the policy (partial)
// and the waivers (waived), then recounts.
func evaluate(rep *model.Report, o *options) error {
	if o.baseline != "" {
		base, err := LoadBaseline(o.baseline)
		if err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
		model.MarkStale(rep, base)
	}
	pol, err := loadOptional(o.root, o.policy, PolicyFile, policy.Load)
	if err != nil {
		return err
	}
	pol.Apply(rep)
	ws, err := loadOptional(o.root, o.waivers, WaiverFile, waiver.Load)
	if err != nil {
		return err
	}
	today := time.Now().UTC()
	if o.today != "" {
		if today, err = time.Parse(waiver.Date, o.today); err != nil {
			return fmt.Errorf("--today %q: want a date YYYY-MM-DD", o.today)
		}
	}
	ws.Apply(rep, today)
	rep.Recount(rep.Summary.Tests)
	if o.history != "" {
		return appendHistory(rep, o)
	}
	return nil
}

// loadOptional loads the file given by a flag (it must exist), or the
// default file under root when it exists; nil when there is none.
func loadOptional[T any](root, flagged, def string, load func(path, name string) (*T, error)) (*T, error) {
	path, name := flagged, flagged
	if path == "" {
		path, name = filepath.Join(root, filepath.FromSlash(def)), def
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	return load(path, name)
}
