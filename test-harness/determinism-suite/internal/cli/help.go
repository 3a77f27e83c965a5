package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"orchcore.dev/test-harness/determinism-suite/report"
)

// synopsis is the short usage printed with every usage error.
const synopsis = `usage:
  detsuite run    [--engine URL ... | --replicas N] [--api llamacpp|openai]
                  [--seeds FILE] [--prompts FILE] [--n-predict N]
                  [--concurrency N] [--record DIR] [--json] [more flags]
  detsuite replay --transcripts DIR [--engine URL ...] [--json] [more flags]
  detsuite help [run|replay]
`

const intro = `detsuite checks that engine replicas are deterministic: the same prompt,
seed and sampling parameters must give byte-identical token streams on
every replica.

`

// about describes each command, for the help.
var about = map[string]string{
	"run": "Generate every prompt x seed of the corpus once on each replica and " +
		"compare the streams. With no --engine it starts --replicas reference " +
		"engines in this process; --record keeps a transcript for replay.",
	"replay": "Generate the trials of a transcript again and compare each stream " +
		"with the recording's first replica. With no --engine it starts as many " +
		"reference engines as were recorded.",
	"help": "Print this help, or with a COMMAND that command's.",
}

// hint points from a usage error to the help of cmd ("" for detsuite).
func hint(cmd string) string {
	if cmd == "" {
		return "Run 'detsuite help' for the commands, every flag and the exit codes.\n"
	}
	return fmt.Sprintf("Run 'detsuite %s --help' for its flags and the exit codes.\n", cmd)
}

// helpCmd is "detsuite help [COMMAND]".
func helpCmd(args []string, env Env) int {
	switch {
	case len(args) == 0:
		fullHelp(env.Stdout)
		return report.ExitOK
	case len(args) == 1 && args[0] == "run":
		fs, _ := runFlags()
		commandHelp(env.Stdout, fs)
		return report.ExitOK
	case len(args) == 1 && args[0] == "replay":
		fs, _ := replayFlags()
		commandHelp(env.Stdout, fs)
		return report.ExitOK
	}
	fmt.Fprintf(env.Stderr, "detsuite help: unknown topic %q; expected run or replay\n%s", strings.Join(args, " "), hint(""))
	return report.ExitError
}

// fullHelp prints the commands, the flags of both and the exit codes.
func fullHelp(w io.Writer) {
	run, _ := runFlags()
	replay, _ := replayFlags()
	shared := flag.NewFlagSet("shared", flag.ContinueOnError)
	new(common).register(shared)
	isShared := func(f *flag.Flag) bool { return shared.Lookup(f.Name) != nil }

	fmt.Fprint(w, intro, synopsis, "\nCommands:\n")
	for _, cmd := range []string{"run", "replay", "help"} {
		item(w, cmd, about[cmd], 10)
	}
	fmt.Fprint(w, "\nFlags of run and replay:\n")
	flags(w, shared, nil)
	fmt.Fprint(w, "\nFlags of run only:\n")
	flags(w, run, func(f *flag.Flag) bool { return !isShared(f) })
	fmt.Fprint(w, "\nFlags of replay only:\n")
	flags(w, replay, func(f *flag.Flag) bool { return !isShared(f) })
	exits(w)
}

// commandHelp prints one command's help: what it does, its flags and the
// exit codes.
func commandHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: detsuite %s [flags]\n\n%s\n\nFlags (one or two dashes):\n",
		fs.Name(), strings.Join(wrap(about[fs.Name()], width), "\n"))
	flags(w, fs, nil)
	exits(w)
}

func exits(w io.Writer) {
	fmt.Fprintf(w, `
Exit status:
  %-3d  every stream is byte-exact (help also exits 0)
  %-3d  some trial diverged: its streams differ between replicas, or from
       the recording; or (INCOMPLETE) nothing diverged but some stream's
       token ids are not all known, so byte-exactness is not proven
  %-3d  usage error, unreadable corpus or transcript, or an engine that
       cannot be reached or answers outside its protocol
  %-3d  interrupted by SIGINT or SIGTERM; no transcript is written
`, report.ExitOK, report.ExitDivergent, report.ExitError, report.ExitInterrupted)
}

// Layout of a flag's line: its name and value, then its text from this
// column, wrapped to width.
const (
	column = 24
	width  = 79
)

// flags prints each flag of fs that keep accepts (all when nil), sorted by
// name: what it does and its default.
func flags(w io.Writer, fs *flag.FlagSet, keep func(*flag.Flag) bool) {
	fs.VisitAll(func(f *flag.Flag) {
		if keep != nil && !keep(f) {
			return
		}
		value, text := flag.UnquoteUsage(f)
		left := "  --" + f.Name
		if value != "" {
			left += " " + value
		}
		item(w, left, text+defaultOf(f, value == ""), column)
	})
}

// item prints left, then text wrapped from column on (from the next line
// when left reaches the column).
func item(w io.Writer, left, text string, column int) {
	if !strings.HasPrefix(left, " ") {
		left = "  " + left
	}
	lines := wrap(text, width-column)
	if len(left) < column-1 {
		fmt.Fprintf(w, "%-*s%s\n", column, left, lines[0])
		lines = lines[1:]
	} else {
		fmt.Fprintln(w, left)
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%*s%s\n", column, "", l)
	}
}

// defaultOf says a flag's default unless its text does: a zero default
// (empty, 0) is left to the text, a bool's is off or on.
func defaultOf(f *flag.Flag, isBool bool) string {
	switch {
	case isBool && f.DefValue == "false":
		return " (default off)"
	case isBool:
		return " (default on)"
	case f.DefValue == "" || f.DefValue == "0":
		return ""
	}
	return fmt.Sprintf(" (default %s)", f.DefValue)
}

// wrap cuts text into lines of at most n characters at spaces (a longer
// word stands alone).
func wrap(text string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) > n:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}
