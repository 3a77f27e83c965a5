package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"orchcore.dev/test-harness/determinism-suite/transcript"
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
		p.f("  replica %d: %s (%s)%s\n", i, e.URL, e.API, engineNote(e))
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
		at := fmt.Sprintf("token %d", d.Index)
		if d.Index < 0 {
			at = fmt.Sprintf("an unknown token (text byte %d)", d.Byte)
		}
		p.f("  replica %d (%s) differs from %s at %s (%s)\n", d.Replica, d.URL, base, at, d.Reason)
		if d.Uncertain != "" {
			p.f("  note:      %s\n", d.Uncertain)
		}
		p.f("  context:   %s\n", d.Before())
		p.f("  %-10s %s%s\n", d.Baseline+":", d.Want, stop(d.WantStop))
		p.f("  %-10s %s%s\n", fmt.Sprintf("replica %d:", d.Replica), d.Got, stop(d.GotStop))
	}
	for i, u := range r.Unproven {
		if i == MaxHuman {
			p.f("... and %d more incomplete streams (use --json to see all)\n", len(r.Unproven)-MaxHuman)
			break
		}
		whose := map[string]string{"replica": "its stream", "baseline": "the baseline's stream", "both": "both streams"}[u.Of]
		p.f("INCOMPLETE seed %d, prompt %q, replica %d (%s), %s: %s\n", u.Seed, u.PromptID, u.Replica, u.URL, whose, u.Why)
	}
	// r.Error is not repeated here: the caller prints it once, on stderr.
	trials := fmt.Sprintf("%d trials", r.Trials)
	if r.Incomplete {
		// Not "INCOMPLETE": that is the verdict of a finished run whose
		// streams are not all known (exit 1).
		trials = fmt.Sprintf("STOPPED after %d of %d planned trials", r.Trials, planned(r))
	}
	unproven := ""
	if r.IncompleteTrials > 0 {
		unproven = fmt.Sprintf(", %d incomplete trials (ids not all known, not proven byte-exact)", r.IncompleteTrials)
	}
	p.f("result: %s, %d streams, %d unique outputs, %d divergent trials%s: %s (exit %d)\n",
		trials, r.Streams, r.UniqueOutputs, r.DivergentTrials, unproven, strings.ToUpper(r.Result), r.ExitCode)
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

func engineNote(e transcript.Engine) string {
	var parts []string
	if e.StartedBySuite {
		var kv []string
		for k, v := range e.Applied {
			kv = append(kv, fmt.Sprintf("%s=%v", k, v))
		}
		sort.Strings(kv)
		parts = append(parts, "started by suite: "+strings.Join(kv, " "))
	}
	if e.Version != "" {
		parts = append(parts, "engine_version "+e.Version)
	}
	if e.Model != "" {
		parts = append(parts, "model "+e.Model)
	}
	if e.PropsError != "" {
		parts = append(parts, "no /props: "+e.PropsError)
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
