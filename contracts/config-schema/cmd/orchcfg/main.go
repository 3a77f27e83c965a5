package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"orchcore.dev/contracts/config-schema/load"
	"orchcore.dev/contracts/config-schema/schema"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

const usage = `orchcfg checks orchestrator configuration files (YAML or JSON).

Usage:
  orchcfg validate [--mode strict|compat] FILE...
  orchcfg schema
  orchcfg help

Commands:
  validate  Check each FILE against the schema and the semantic rules. Prints
            one line per problem: FILE:LINE:COL: PATH: message (a warning's
            message starts with "warning: ").
            --mode strict  unknown fields are errors (default)
            --mode compat  unknown fields are warnings
  schema    Print the JSON Schema of the configuration file.

Exit status:
  0  every file is valid (warnings alone do not fail)
  1  some file is invalid
  2  usage error, or a file could not be read
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "schema":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "orchcfg: schema takes no arguments, got %q\n", args[1])
			return exitUsage
		}
		if _, err := stdout.Write(schema.JSON); err != nil {
			return exitUsage
		}
		return exitOK
	case "validate":
		return validate(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "orchcfg: unknown command %q; expected validate, schema or help\n", args[0])
	return exitUsage
}

func validate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modeName := fs.String("mode", "strict", "strict: unknown fields are errors; compat: they are warnings")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintln(stderr, "orchcfg: run 'orchcfg help' for usage")
		return exitUsage
	}
	mode, err := load.ParseMode(*modeName)
	if err != nil {
		fmt.Fprintf(stderr, "orchcfg: --mode %q: expected strict or compat\n", *modeName)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "orchcfg: validate needs at least one FILE")
		return exitUsage
	}
	code := exitOK
	for _, path := range fs.Args() {
		_, diags, err := load.File(path, mode)
		if err != nil {
			fmt.Fprintf(stderr, "orchcfg: cannot read %s: %v\n", path, unwrapPath(err))
			code = exitUsage
			continue
		}
		for _, d := range diags {
			fmt.Fprintln(stdout, d)
		}
		if load.HasErrors(diags) && code == exitOK {
			code = exitInvalid
		}
	}
	return code
}

// unwrapPath drops the path an *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
