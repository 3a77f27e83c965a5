package cli_test

import (
	"regexp"
	"strings"
	"testing"
)

// Every way of asking for help prints it to stdout, writes nothing to
// stderr and exits 0.
func TestHelpOnStdoutExitsZero(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // a line only that help has
	}{
		{[]string{"help"}, "Flags of replay only:"},
		{[]string{"--help"}, "Flags of replay only:"},
		{[]string{"-h"}, "Flags of replay only:"},
		{[]string{"run", "--help"}, "usage: detsuite run [flags]"},
		{[]string{"run", "-h"}, "usage: detsuite run [flags]"},
		{[]string{"help", "run"}, "usage: detsuite run [flags]"},
		{[]string{"replay", "--help"}, "usage: detsuite replay [flags]"},
		{[]string{"replay", "-help"}, "usage: detsuite replay [flags]"},
		{[]string{"help", "replay"}, "usage: detsuite replay [flags]"},
	} {
		o := detsuite(t, c.args...)
		if o.code != 0 || o.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and an empty stderr", c.args, o.code, o.stderr)
		}
		if !strings.Contains(o.stdout, c.want) || !strings.Contains(o.stdout, "Exit status:") {
			t.Errorf("%v: stdout lacks %q or the exit status:\n%s", c.args, c.want, o.stdout)
		}
	}
}

// The help names each exit code with its meaning.
func TestHelpListsExitCodes(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"run", "--help"}, {"replay", "--help"}} {
		out := detsuite(t, args...).stdout
		for _, line := range []string{
			"  0    every stream is byte-exact",
			"  1    some trial diverged",
			"  2    usage error",
			"  130  interrupted by SIGINT or SIGTERM",
		} {
			if !strings.Contains(out, line) {
				t.Errorf("%v: help lacks %q", args, line)
			}
		}
	}
}

// Each flag's entry says what it does and its default, written here by
// hand (not taken from the code).
func TestHelpDescribesFlags(t *testing.T) {
	run := detsuite(t, "run", "--help").stdout
	replay := detsuite(t, "replay", "--help").stdout
	full := detsuite(t, "help").stdout
	for _, c := range []struct {
		flag, does, dflt string
		inRun, inReplay  bool
	}{
		{"--engine URL", "base URL of an engine replica", "(default: none; run then starts --replicas reference engines, replay as many as were recorded)", true, true},
		{"--api API", "llamacpp or openai", "(default: run llamacpp, replay the recorded one)", true, true},
		{"--auth-token TOKEN", "bearer TOKEN", "(default: none)", true, true},
		{"--concurrency N", "requests in flight", "(default 8)", true, true},
		{"--timeout D", "time limit D of each request", "(default 2m0s)", true, true},
		{"--json", "report as JSON", "(default off)", true, true},
		{"--replicas N", "reference engines", "(default 2)", true, false},
		{"--seeds FILE", "one unsigned integer per line", "(default: the embedded corpus)", true, false},
		{"--prompts FILE", "JSON Lines", "(default: the embedded corpus)", true, false},
		{"--record DIR", "write a transcript", "(default: none)", true, false},
		{"--n-predict N", "tokens per request", "(default 32)", true, false},
		{"--temperature T", "sampling temperature", "(default 0.8)", true, false},
		{"--top-k K", "most likely tokens", "(default 40)", true, false},
		{"--top-p P", "nucleus", "(default 0.95)", true, false},
		{"--min-p P", "less likely than", "(default 0.05)", true, false},
		{"--transcripts DIR", "written by run --record", "required", false, true},
	} {
		for _, h := range []struct {
			name, text string
			want       bool
		}{{"help", full, true}, {"run --help", run, c.inRun}, {"replay --help", replay, c.inReplay}} {
			entry := flagEntry(h.text, c.flag)
			switch {
			case !h.want && entry != "":
				t.Errorf("%s lists %s, which it does not take", h.name, c.flag)
			case h.want && (!strings.Contains(entry, c.does) || !strings.Contains(entry, c.dflt)):
				t.Errorf("%s: entry of %s %q lacks %q or %q", h.name, c.flag, entry, c.does, c.dflt)
			}
		}
	}
}

var entryStart = regexp.MustCompile(`(?m)^  --`)

// flagEntry returns the entry of flag (its first line starts with
// "  "+flag and a space) up to the next entry or blank line, with its
// lines joined by single spaces; "" when help has none.
func flagEntry(help, flag string) string {
	i := strings.Index(help, "\n  "+flag+" ")
	if i < 0 {
		return ""
	}
	rest := help[i+1:]
	end := len(rest)
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		end = j
	}
	if loc := entryStart.FindStringIndex(rest[1:end]); loc != nil {
		end = loc[0] + 1
	}
	return strings.Join(strings.Fields(rest[:end]), " ")
}

func TestFlagEntryFindsOnlyThatFlag(t *testing.T) {
	help := "Flags:\n  --a X     does a,\n            more a (default 1)\n  --ab Y    does ab\n\nExit status:\n"
	if got, want := flagEntry(help, "--a X"), "--a X does a, more a (default 1)"; got != want {
		t.Errorf("flagEntry(--a X) = %q, want %q", got, want)
	}
	if got := flagEntry(help, "--b"); got != "" {
		t.Errorf("flagEntry(--b) = %q, want nothing", got)
	}
}
