package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"orchcore.dev/tools/spec-trace/internal/diff"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

func diffMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("spec-trace diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fail := fs.Bool("fail-on-regression", false, "exit 1 when a requirement is stale (its rule changed since OLD, its proving tests did not), newly failing or newly unproven, or a removed requirement was a MUST or was proven")
	format := fs.String("format", "md", "output `FORMAT`: md or json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: spec-trace diff [--fail-on-regression] [--format md|json] OLD.json NEW.json\n\nCompares two coverage.json reports. Flags may stand before, between or after the files.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, err := parseAll(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return OK
		}
		return Usage
	}
	if len(files) > 2 {
		fmt.Fprintf(stderr, "spec-trace diff: unexpected argument %q: want exactly two files, OLD.json and NEW.json\n", files[2])
		return Usage
	}
	if len(files) != 2 {
		fmt.Fprintln(stderr, "spec-trace diff: want exactly two files, OLD.json and NEW.json")
		return Usage
	}
	old, err := load(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "spec-trace diff: %v\n", err)
		return Usage
	}
	cur, err := load(files[1])
	if err != nil {
		fmt.Fprintf(stderr, "spec-trace diff: %v\n", err)
		return Usage
	}
	if *format != "md" && *format != "json" {
		fmt.Fprintf(stderr, "spec-trace diff: unknown format %q (want md or json)\n", *format)
		return Usage
	}
	d := diff.Compare(old, cur)
	write := d.Write
	if *format == "json" {
		write = d.WriteJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintf(stderr, "spec-trace diff: %v\n", err)
		return Usage
	}
	if *fail && d.Regressed() {
		return Gate
	}
	return OK
}

func load(path string) (*model.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return render.ReadJSON(f, path)
}
