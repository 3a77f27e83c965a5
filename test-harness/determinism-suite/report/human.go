package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Human writes r for people.
func Human(w io.Writer, r Report) error {
	p := &printer{w: w}
	p.f("detsuite %s: %d replicas, %d trials (%d seeds x %d prompts), n_predict %d\n",
		r.Command, r.Replicas, planned(r), r.Corpus.Seeds, r.Corpus.Prompts, r.Params.NPredict)
	if r.Transcript != "" {
		p.f("transcript: %s\n", r.Transcript)
	}
	for i, e := range r.Engines {
		p.f("  replica %d: %s (%s)%s\n", i, e.URL, e.API, engineNote(e.StartedBySuite, e.Applied, e.Version, e.PropsError))
	}
	for _, s := range r.Warnings {
		p.f("warning: %s\n", s)
	}
	for i, d := range r.Divergences {
		if i == MaxHuman {
			p.f("... and %d more divergences (use --json to see all)\n", len(r.Divergences)-MaxHuman)
			break
		}
		base := d.Baseline
		if d.BaselineURL != "" {
			base += " (" + d.BaselineURL + ")"
		}
		p.f("DIVERGENCE seed %d, prompt %q %s\n", d.Seed, d.PromptID, quoteShort(d.Prompt))
		p.f("  replica %d (%s) differs from %s at token %d (%s)\n", d.Replica, d.URL, base, d.Index, d.Reason)
		p.f("  context:   %s\n", d.Before())
		p.f("  %-10s %s%s\n", d.Baseline+":", d.Want, stop(d.WantStop))
		p.f("  %-10s %s%s\n", fmt.Sprintf("replica %d:", d.Replica), d.Got, stop(d.GotStop))
	}
	if r.Error != "" {
		p.f("error: %s\n", r.Error)
	}
	trials := fmt.Sprintf("%d trials", r.Trials)
	if r.Incomplete {
		trials = fmt.Sprintf("INCOMPLETE, %d of %d planned trials completed", r.Trials, planned(r))
	}
	p.f("result: %s, %d streams, %d unique outputs, %d divergent trials: %s (exit %d)\n",
		trials, r.Streams, r.UniqueOutputs, r.DivergentTrials, strings.ToUpper(r.Result), r.ExitCode)
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func engineNote(started bool, applied map[string]any, version, propsErr string) string {
	var parts []string
	if started {
		var kv []string
		for k, v := range applied {
			kv = append(kv, fmt.Sprintf("%s=%v", k, v))
		}
		sort.Strings(kv)
		parts = append(parts, "started by suite: "+strings.Join(kv, " "))
	}
	if version != "" {
		parts = append(parts, "engine_version "+version)
	}
	if propsErr != "" {
		parts = append(parts, "no /props: "+propsErr)
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, "; ")
}

func stop(s string) string {
	if s == "" {
		return ""
	}
	return "  [stop: " + s + "]"
}

func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return strconv.Quote(string(r[:40])) + "..."
	}
	return strconv.Quote(s)
}

// planned is the trial count the run set out to do; a report built
// without PlannedTrials planned what it has.
func planned(r Report) int {
	if r.PlannedTrials == 0 {
		return r.Trials
	}
	return r.PlannedTrials
}
