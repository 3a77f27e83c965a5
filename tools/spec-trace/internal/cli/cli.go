package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/history"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

// Exit codes.
const (
	OK    = 0
	Gate  = 1
	Usage = 2
)

const usage = `spec-trace maps requirements in .specs/ to the tests that prove them.

Usage:
  spec-trace [--root DIR] [--results FILE]... [--format LIST] [--out DIR]
             [--strict] [--min-should PCT] [--policy FILE] [--waivers FILE]
             [--today DATE] [--flaky fail|warn] [--baseline OLD.json]
             [--fail-on-stale] [--history DIR] [--commit SHA] [--time TIME]
  spec-trace diff [--fail-on-regression] [--format md|json] OLD.json NEW.json
  spec-trace pr --base BASE.json --head HEAD.json --out DIR [--annotations]
             [--fail-on-regression]

Requirements are the [PREFIX-NNNN] lines of DIR/.specs/**/*.md; the title
ends at the first ". " and the rest is the rule text. Tests reference them
with t.Attr("req", "ID") in Go (read from go test -json output), with @ID
tags in Gherkin (read from .feature files under DIR and from cucumber JSON
results) or with <property name="req" value="ID"/> in JUnit XML. Each
--results file may be any of these; the content tells which.

A requirement is proven when a referencing test passed and none failed;
flaky when a proving test failed and then passed on a rerun; stale when its
rule changed since --baseline and its tests did not; waived when a waiver
accepts it unproven; failing when a referencing test failed; partial when
referenced but none passed, or when the evidence policy wants another kind
of test; unproven when nothing references it.

Exit status: 0 ok; 1 a gate failed (--strict, --fail-on-stale,
--min-should, or --fail-on-regression of diff and pr); 2 bad usage or
unreadable input (file:line, and column for the YAML files).

Flags (one or two dashes):
`

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type options struct {
	root        string
	results     listFlag
	formats     []string
	out         string
	strict      bool
	minShould   float64
	policy      string
	waivers     string
	today       string
	flaky       string
	baseline    string
	failOnStale bool
	history     string
	commit      string
	now         string
	run         *history.Run // this run, written to history once the reports are
}

var formatFiles = map[string]string{
	"md":    "coverage.md",
	"json":  "coverage.json",
	"html":  "coverage.html",
	"junit": "coverage.xml",
}

var formatAlias = map[string]string{"markdown": "md", "xml": "junit"}

// Main runs spec-trace with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "diff" {
		return diffMain(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "pr" {
		return prMain(args[1:], stdout, stderr)
	}
	opts, code := parse(args, stderr)
	if opts == nil {
		return code
	}
	warn := func(msg string) { fmt.Fprintf(stderr, "spec-trace: warning: %s\n", msg) }
	rep, err := CollectWarn(opts.root, opts.results, warn)
	if err != nil {
		fmt.Fprintf(stderr, "spec-trace: %v\n", err)
		return Usage
	}
	if err := evaluate(rep, opts); err != nil {
		fmt.Fprintf(stderr, "spec-trace: %v\n", err)
		return Usage
	}
	if err := write(rep, opts); err != nil {
		fmt.Fprintf(stderr, "spec-trace: %v\n", err)
		return Usage
	}
	if err := writeHistory(opts); err != nil {
		fmt.Fprintf(stderr, "spec-trace: %v\n", err)
		return Usage
	}
	if err := render.Summary(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "spec-trace: %v\n", err)
		return Usage
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(stderr, "spec-trace: note: %s\n", n)
	}
	var gates []string
	if opts.strict {
		gates = append(gates, StrictWith(rep, opts.flaky == "warn")...)
	}
	if opts.strict && opts.flaky == "warn" {
		for _, q := range rep.Requirements {
			if q.Status == model.Flaky {
				fmt.Fprintf(stderr, "spec-trace: warning: %s %s is flaky (counted as proven: --flaky warn)\n", q.Level, q.ID)
			}
		}
	}
	if opts.failOnStale {
		for _, q := range rep.Requirements {
			if q.Status == model.Stale {
				gates = append(gates, fmt.Sprintf("%s %s is stale: its rule changed since the baseline and none of its tests did (--fail-on-stale)", q.Level, q.ID))
			}
		}
	}
	if opts.minShould >= 0 {
		if g := minShould(rep, opts.minShould); g != "" {
			gates = append(gates, g)
		}
	}
	for _, g := range gates {
		fmt.Fprintf(stderr, "spec-trace: gate: %s\n", g)
	}
	if len(gates) > 0 {
		return Gate
	}
	return OK
}

func parse(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("spec-trace", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var formats string
	fs.StringVar(&o.root, "root", ".", "repository `DIR` holding .specs/ and the .feature files")
	fs.Var(&o.results, "results", "a go test -json, cucumber JSON or JUnit XML `FILE`; repeat for several")
	fs.StringVar(&formats, "format", "md,json,html,junit", "comma-separated `LIST` of report files to write to --out: md, json, html, junit")
	fs.StringVar(&o.out, "out", "", "`DIR` that receives coverage.md, coverage.json, coverage.html, coverage.xml (none written if empty)")
	fs.BoolVar(&o.strict, "strict", false, "exit 1 when a MUST is not proven (partial under the policy, stale, flaky with --flaky fail), a referencing test failed, an ID is unknown, a waiver expired or names an unknown ID, a package did not build or failed outside its tests, or any other test failed")
	fs.Float64Var(&o.minShould, "min-should", -1, "exit 1 when fewer than `PCT` percent of SHOULD requirements are proven (off when negative)")
	fs.StringVar(&o.policy, "policy", "", "evidence policy `FILE` (default DIR/.specs/trace-policy.yaml when it exists)")
	fs.StringVar(&o.waivers, "waivers", "", "waiver `FILE` (default DIR/.specs/waivers.yaml when it exists)")
	fs.StringVar(&o.today, "today", "", "the `DATE` (YYYY-MM-DD) waivers are checked against (default today, UTC)")
	fs.StringVar(&o.flaky, "flaky", "fail", "`MODE` for flaky evidence under --strict: fail (a flaky requirement or test fails the gate) or warn (it counts as proven, with a warning)")
	fs.StringVar(&o.baseline, "baseline", "", "an earlier coverage.json `FILE` (schema spec-trace/v2): a requirement whose rule changed while none of its tests did is stale")
	fs.BoolVar(&o.failOnStale, "fail-on-stale", false, "exit 1 when a requirement is stale (needs --baseline)")
	fs.StringVar(&o.history, "history", "", "`DIR` that keeps one summary file per run; this run is appended and the HTML shows the trend")
	fs.StringVar(&o.commit, "commit", os.Getenv("GITHUB_SHA"), "the `COMMIT` recorded in the history (default $GITHUB_SHA)")
	fs.StringVar(&o.now, "time", "", "the `TIME` (RFC 3339) recorded in the history (default now)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	extra, err := parseAll(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, OK
		}
		return nil, Usage
	}
	if o.out == "" {
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "format" {
				fmt.Fprintln(stderr, "spec-trace: warning: --format has no effect without --out")
			}
		})
	}
	if len(extra) > 0 {
		fmt.Fprintf(stderr, "spec-trace: unexpected argument %q (see --help)\n", extra[0])
		return nil, Usage
	}
	if o.flaky != "fail" && o.flaky != "warn" {
		fmt.Fprintf(stderr, "spec-trace: --flaky %q: want fail or warn\n", o.flaky)
		return nil, Usage
	}
	if o.failOnStale && o.baseline == "" {
		fmt.Fprintln(stderr, "spec-trace: --fail-on-stale needs --baseline OLD.json")
		return nil, Usage
	}
	if o.minShould > 100 {
		fmt.Fprintf(stderr, "spec-trace: --min-should %v is above 100\n", o.minShould)
		return nil, Usage
	}
	for _, f := range strings.Split(formats, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if a, ok := formatAlias[f]; ok {
			f = a
		}
		if f == "" {
			continue
		}
		if _, ok := formatFiles[f]; !ok {
			fmt.Fprintf(stderr, "spec-trace: unknown format %q (want md, json, html, junit)\n", f)
			return nil, Usage
		}
		if !slices.Contains(o.formats, f) {
			o.formats = append(o.formats, f)
		}
	}
	return o, OK
}

func write(rep *model.Report, o *options) error {
	if o.out == "" {
		return nil
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	writers := map[string]func(io.Writer, *model.Report) error{
		"md": render.Markdown, "json": render.JSON, "html": render.HTML, "junit": render.JUnit,
	}
	for _, f := range o.formats {
		if err := atomicWrite(filepath.Join(o.out, formatFiles[f]), func(w io.Writer) error {
			return writers[f](w, rep)
		}); err != nil {
			return err
		}
	}
	return nil
}

func atomicWrite(path string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := fill(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Strict lists every reason --strict fails, or nothing, with flaky
// evidence failing the gate (--flaky fail).
func Strict(r *model.Report) []string { return StrictWith(r, false) }

// StrictWith is Strict where flakyOK says whether flaky evidence counts
// as proven (--flaky warn).
func StrictWith(r *model.Report, flakyOK bool) []string {
	var out []string
	for _, q := range r.Requirements {
		switch {
		case q.Status == model.Failing:
			out = append(out, fmt.Sprintf("%s %s is failing: a referencing test failed", q.Level, q.ID))
		case q.Status == model.Flaky && !flakyOK:
			out = append(out, fmt.Sprintf("%s %s is flaky: a proving test failed before it passed (--flaky warn accepts it)", q.Level, q.ID))
		case q.Level == model.Must && q.Status == model.Stale:
			out = append(out, fmt.Sprintf("MUST %s is stale, not proven: its rule changed since the baseline and none of its tests did", q.ID))
		case q.Level == model.Must && q.Status == model.Partial && q.Missing != "":
			out = append(out, fmt.Sprintf("MUST %s is partial: the evidence policy wants %s as well", q.ID, q.Missing))
		case q.Level == model.Must && !model.Good(q.Status, flakyOK) && q.Status != model.Waived:
			out = append(out, fmt.Sprintf("MUST %s is %s, not proven", q.ID, q.Status))
		}
	}
	out = append(out, r.Gates...)
	for _, u := range r.Unknown {
		out = append(out, fmt.Sprintf("unknown ID %s referenced by %d test(s), first %s", u.ID, len(u.Tests), u.Tests[0].Name))
		for _, t := range u.Tests {
			if t.Status == model.Failed {
				out = append(out, fmt.Sprintf("test %s (references unknown %s) failed", t.Name, u.ID))
			}
		}
	}
	for _, p := range r.Problems {
		if p.Kind == model.TestFlaky && flakyOK {
			continue
		}
		out = append(out, render.ProblemText(p))
	}
	return out
}

func minShould(r *model.Report, pct float64) string {
	c := r.Summary.ByLevel[model.Should]
	if c.Total == 0 {
		return ""
	}
	got := 100 * float64(c.Proven) / float64(c.Total)
	if got+1e-9 < pct {
		return fmt.Sprintf("%.1f%% of SHOULD requirements proven (%d of %d), below --min-should %g", got, c.Proven, c.Total, pct)
	}
	return ""
}
