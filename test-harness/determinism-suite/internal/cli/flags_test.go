package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

// Every flag each command declares has an entry in its help and in the
// full help that says what it does and either its default or that it is
// required; a flag added later cannot go undocumented.
func TestHelpCoversEveryDeclaredFlag(t *testing.T) {
	var full bytes.Buffer
	fullHelp(&full)
	for _, mk := range []func() *flag.FlagSet{
		func() *flag.FlagSet { fs, _ := runFlags(); return fs },
		func() *flag.FlagSet { fs, _ := replayFlags(); return fs },
	} {
		fs := mk()
		var own bytes.Buffer
		commandHelp(&own, fs)
		n := 0
		fs.VisitAll(func(f *flag.Flag) {
			n++
			for name, help := range map[string]string{"full help": full.String(), fs.Name() + " --help": own.String()} {
				entry := entryOf(help, f.Name)
				if entry == "" {
					t.Errorf("%s has no entry for --%s", name, f.Name)
					continue
				}
				if len(strings.Fields(entry)) < 4 || !(strings.Contains(entry, "default") || strings.Contains(entry, "required")) {
					t.Errorf("%s: the entry of --%s %q does not say what it does and its default", name, f.Name, entry)
				}
			}
		})
		if n < 5 {
			t.Fatalf("%s declares %d flags; the scan saw too few", fs.Name(), n)
		}
	}
}

// entryOf is the text of the entry of --name: its line and the
// continuation lines below it.
func entryOf(help, name string) string {
	lines := strings.Split(help, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "  --"+name+" ") && l != "  --"+name {
			continue
		}
		out := []string{l}
		for _, c := range lines[i+1:] {
			if !strings.HasPrefix(c, strings.Repeat(" ", column)) {
				break
			}
			out = append(out, c)
		}
		return strings.Join(strings.Fields(strings.Join(out, " ")), " ")
	}
	return ""
}

// The checker must notice an entry without a default.
func TestEntryOfSeesMissingDefault(t *testing.T) {
	help := "  --x N                 does x\n  --y                   does y, which\n" + strings.Repeat(" ", column) + "goes on (default off)\n"
	if got := entryOf(help, "x"); got != "--x N does x" {
		t.Errorf("entryOf(x) = %q", got)
	}
	if got := entryOf(help, "y"); !strings.HasSuffix(got, "goes on (default off)") {
		t.Errorf("entryOf(y) = %q, want the continuation line", got)
	}
	if got := entryOf(help, "z"); got != "" {
		t.Errorf("entryOf(z) = %q, want nothing", got)
	}
}

func TestWrapKeepsWidth(t *testing.T) {
	got := wrap("aaa bbb ccc dddddddddd e", 7)
	want := []string{"aaa bbb", "ccc", "dddddddddd", "e"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}
