package load_test

import (
	"testing"

	"orchcore.dev/contracts/config-schema/load"
)

func TestParseMode(t *testing.T) {
	for in, want := range map[string]load.Mode{"strict": load.Strict, "compat": load.Compat, " Compat ": load.Compat} {
		if got, err := load.ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := load.ParseMode("lenient"); err == nil {
		t.Error("ParseMode accepted lenient")
	}
}

func TestDiagnosticString(t *testing.T) {
	d := load.Diagnostic{File: "f.yaml", Line: 3, Col: 7, Path: "pools[0].id", Message: "expected x"}
	if got := d.String(); got != "f.yaml:3:7: pools[0].id: expected x" {
		t.Errorf("error = %q", got)
	}
	d.Severity = load.Warning
	if got := d.String(); got != "f.yaml:3:7: pools[0].id: warning: expected x" {
		t.Errorf("warning = %q", got)
	}
	if load.HasErrors([]load.Diagnostic{d}) || !load.HasErrors([]load.Diagnostic{d, {}}) {
		t.Error("HasErrors miscounts")
	}
}
