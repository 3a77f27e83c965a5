package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/pr"
	"orchcore.dev/tools/spec-trace/internal/render"
)

const prUsage = `Usage: spec-trace pr --base BASE.json --head HEAD.json --out DIR [--annotations] [--fail-on-regression]

Compares two coverage.json reports (schema spec-trace/v2) and writes DIR/pr.md,
one pull-request comment of at most 60,000 characters: a hidden marker line
(` + pr.Marker + `), a base | head | change table per level, what got
worse (stale first, then newly failing, no longer proven, flaky, expired
waivers) with each rule and its spec file:line, then the requirements whose
spec line or tests changed, with every reason. A requirement whose rule hash
changed while every proving test kept its source hash is stale even when
HEAD was written without --baseline. Sections that do not fit are left out last-first, with a line
saying how many items and where to find them.

With --annotations, or when GITHUB_ACTIONS=true, it prints at most 10
::error file=...,line=...:: workflow commands for the worst items.

Exit status: 0 ok; 1 something got worse and --fail-on-regression is set;
2 bad usage or unreadable input.

Flags:
`

func prMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("spec-trace pr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "", "the base branch's coverage.json `FILE`")
	head := fs.String("head", "", "the pull request's coverage.json `FILE`")
	out := fs.String("out", "", "`DIR` that receives pr.md")
	ann := fs.Bool("annotations", os.Getenv("GITHUB_ACTIONS") == "true", "print at most 10 ::error workflow commands for the worst items (default true under GITHUB_ACTIONS=true)")
	fail := fs.Bool("fail-on-regression", false, "exit 1 when something got worse")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), prUsage)
		fs.PrintDefaults()
	}
	extra, err := parseAll(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return OK
		}
		return Usage
	}
	if len(extra) > 0 {
		fmt.Fprintf(stderr, "spec-trace pr: unexpected argument %q (see --help)\n", extra[0])
		return Usage
	}
	if *base == "" || *head == "" || *out == "" {
		fmt.Fprintln(stderr, "spec-trace pr: --base, --head and --out are required (see --help)")
		return Usage
	}
	b, err := loadCurrent(*base)
	if err != nil {
		fmt.Fprintf(stderr, "spec-trace pr: %v\n", err)
		return Usage
	}
	h, err := loadCurrent(*head)
	if err != nil {
		fmt.Fprintf(stderr, "spec-trace pr: %v\n", err)
		return Usage
	}
	md, left := pr.Markdown(b, h, render.MaxMarkdown)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "spec-trace pr: %v\n", err)
		return Usage
	}
	path := filepath.Join(*out, "pr.md")
	if err := atomicWrite(path, func(w io.Writer) error { _, err := io.WriteString(w, md); return err }); err != nil {
		fmt.Fprintf(stderr, "spec-trace pr: %v\n", err)
		return Usage
	}
	if *ann {
		for _, a := range pr.Annotations(b, h) {
			fmt.Fprintln(stdout, a)
		}
	}
	worse, _ := pr.Compare(b, h)
	n := 0
	for _, s := range worse {
		n += len(s.Items)
	}
	fmt.Fprintf(stdout, "spec-trace pr: wrote %s (%d bytes; %d got worse; %d items left out)\n", path, len(md), n, left)
	if *fail && n > 0 {
		return Gate
	}
	return OK
}

func loadCurrent(path string) (*model.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return render.ReadCurrent(f, path)
}
