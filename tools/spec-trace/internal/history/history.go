package history

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Schema names the format of a run file.
const Schema = "spec-trace-history/v1"

// Keep is how many runs, this one included, the HTML summarizes.
const Keep = 20

// Run is one run file.
type Run struct {
	Schema string              `json:"schema"`
	Time   string              `json:"time"`
	Commit string              `json:"commit,omitempty"`
	Counts model.Counts        `json:"counts"`
	Status map[string][]string `json:"status"` // status -> IDs
}

var runName = regexp.MustCompile(`^run-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.json$`)

// FromReport makes the run record of a report.
func FromReport(r *model.Report, at time.Time, commit string) Run {
	run := Run{Schema: Schema, Time: at.UTC().Format(time.RFC3339), Commit: commit, Counts: r.Summary.All, Status: map[string][]string{}}
	for _, q := range r.Requirements {
		run.Status[q.Status] = append(run.Status[q.Status], q.ID)
	}
	return run
}

// Read returns the newest keep runs in dir, oldest first, and a note
// per file it ignored. A missing dir has no runs.
func Read(dir string, keep int) ([]Run, []string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var names, notes []string
	for _, e := range entries {
		switch {
		case e.IsDir() || !runName.MatchString(e.Name()):
			notes = append(notes, fmt.Sprintf("%s: ignored, not a spec-trace history file (want run-YYYYMMDDTHHMMSSZ.json)", filepath.Join(dir, e.Name())))
		default:
			names = append(names, e.Name())
		}
	}
	// Oldest first: by time, then by the -N of files of the same second.
	order := func(n string) (string, int) {
		stamp, seq, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(n, "run-"), ".json"), "-")
		k, err := strconv.Atoi(seq)
		if err != nil {
			k = 1
		}
		return stamp, k
	}
	slices.SortFunc(names, func(a, b string) int {
		sa, ka := order(a)
		sb, kb := order(b)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ka, kb))
	})
	var runs []Run
	for i := len(names) - 1; i >= 0 && len(runs) < keep; i-- {
		path := filepath.Join(dir, names[i])
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		var r Run
		if err := json.Unmarshal(b, &r); err != nil {
			notes = append(notes, fmt.Sprintf("%s: ignored, not JSON: %v", path, err))
			continue
		}
		if r.Schema != Schema {
			notes = append(notes, fmt.Sprintf("%s: ignored, schema %q, want %q", path, r.Schema, Schema))
			continue
		}
		runs = append(runs, r)
	}
	slices.Reverse(runs)
	return runs, notes, nil
}

// Write adds run to dir (created if needed) and returns the file's path.
func Write(dir string, run Run) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	at, err := time.Parse(time.RFC3339, run.Time)
	if err != nil {
		return "", err
	}
	base := "run-" + at.UTC().Format("20060102T150405Z")
	b, err := json.Marshal(run)
	if err != nil {
		return "", err
	}
	for n := 1; ; n++ {
		name := base + ".json"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.json", base, n)
		}
		path := filepath.Join(dir, name)
		tmp, err := os.CreateTemp(dir, ".run-*.tmp")
		if err != nil {
			return "", err
		}
		_, werr := tmp.Write(append(b, '\n'))
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return "", fmt.Errorf("%s: %v %v", path, werr, cerr)
		}
		// Link, not rename, so an existing run file is never replaced.
		err = os.Link(tmp.Name(), path)
		os.Remove(tmp.Name())
		if err == nil {
			return path, nil
		}
		if !os.IsExist(err) {
			return "", err
		}
	}
}

// Summarize turns runs (oldest first) into the per-requirement record.
func Summarize(runs []Run) *model.History {
	h := &model.History{Last: map[string]int{}, ProvenIn: map[string]int{}}
	for i, r := range runs {
		h.Runs = append(h.Runs, model.RunSummary{Time: r.Time, Commit: short(r.Commit), Proven: r.Counts.Proven,
			Failing: r.Counts.Failing, Total: r.Counts.Total})
		for _, id := range r.Status[model.Proven] {
			h.Last[id] = i
			h.ProvenIn[id]++
		}
	}
	return h
}

func short(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
