package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

const fields = "admission_policy, capacity, capacity_tokens, device_mask, engine, engine_priority, fairness_policy, id, model_id"

// TestValidateBroken runs the command on each broken fixture and compares
// every output line with the expected one, written out by hand.
func TestValidateBroken(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6003")
	cases := []struct {
		name  string
		args  []string
		code  int
		lines []string
	}{
		{"unknown field", []string{"validate", "testdata/unknown-field.yaml"}, 1, []string{
			`testdata/unknown-field.yaml:5:5: pools[0].gpus: unknown field "gpus"; expected one of: ` + fields,
		}},
		{"unknown field compat", []string{"validate", "--mode", "compat", "testdata/unknown-field.yaml"}, 0, []string{
			`testdata/unknown-field.yaml:5:5: pools[0].gpus: warning: unknown field "gpus"; expected one of: ` + fields,
		}},
		{"wrong type", []string{"validate", "testdata/wrong-type.yaml"}, 1, []string{
			`testdata/wrong-type.yaml:5:15: pools[0].capacity: expected integer, got string "ten"`,
		}},
		{"bad enum", []string{"validate", "testdata/bad-enum.yaml"}, 1, []string{
			`testdata/bad-enum.yaml:7:23: pools[1].admission_policy: expected one of "reject", "drop-lru", "shed-low-priority", got "drop-oldest"`,
		}},
		{"yaml syntax", []string{"validate", "testdata/syntax-error.yaml"}, 1, []string{
			`testdata/syntax-error.yaml:4:1: (root): invalid YAML: did not find expected '-' indicator; expected a well-formed YAML or JSON document`,
		}},
		{"tab indent", []string{"validate", "testdata/tab-indent.yaml"}, 1, []string{
			`testdata/tab-indent.yaml:3:1: (root): invalid YAML: found character that cannot start any token; expected a well-formed YAML or JSON document`,
		}},
		{"negative capacity", []string{"validate", "testdata/negative-capacity.yaml"}, 1, []string{
			`testdata/negative-capacity.yaml:6:15: priority_classes[0].capacity: expected a value >= 1, got -5`,
		}},
		{"weight above the core's maximum", []string{"validate", "testdata/huge-weight.yaml"}, 1, []string{
			`testdata/huge-weight.yaml:6:32: priority_classes[0].weight: expected a value <= 1000000, got 9223372036854775807`,
			`testdata/huge-weight.yaml:7:32: priority_classes[1].weight: expected a value <= 1000000, got 9223372036854775807`,
		}},
		{"more classes than the core takes", []string{"validate", "testdata/too-many-classes.yaml"}, 1, []string{
			`testdata/too-many-classes.yaml:6:3: priority_classes: expected at most 64 item(s), got 70`,
		}},
		{"duplicate class", []string{"validate", "testdata/duplicate-class.yaml"}, 1, []string{
			`testdata/duplicate-class.yaml:4:12: priority_classes[1].name: duplicate class name "interactive" (also priority_classes[0]); expected unique names`,
		}},
		{"dangling replica-set pool", []string{"validate", "testdata/dangling-pool.yaml"}, 1, []string{
			`testdata/dangling-pool.yaml:7:11: replica_sets[0].pool: unknown pool "b"; expected one of the pool ids: a`,
		}},
		{"json: wrong version and missing field", []string{"validate", "testdata/missing-field.json"}, 1, []string{
			`testdata/missing-field.json:2:14: version: expected 1, got 2`,
			`testdata/missing-field.json:4:5: pools[0].model_id: missing required field "model_id"; expected a string`,
		}},
		{"valid and invalid together", []string{"validate", "testdata/valid.yaml", "testdata/wrong-type.yaml"}, 1, []string{
			`testdata/wrong-type.yaml:5:15: pools[0].capacity: expected integer, got string "ten"`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CONFIG-6003")
			if strings.Contains(c.name, "unknown field") {
				t.Attr("req", "OC-CONFIG-6001")
			}
			var out, errb bytes.Buffer
			code := run(c.args, &out, &errb)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errb.String())
			}
			got := lines(out.String())
			if strings.Join(got, "\n") != strings.Join(c.lines, "\n") {
				t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.lines, "\n"))
			}
			if errb.Len() != 0 {
				t.Errorf("unexpected stderr %q", errb.String())
			}
		})
	}
}

func TestValidateExamples(t *testing.T) {
	t.Attr("req", "OC-CONFIG-6002")
	var out, errb bytes.Buffer
	code := run([]string{"validate", "../../examples/minimal.yaml", "../../examples/home.yaml",
		"../../examples/multi-pool.yaml", "../../examples/ci.json", "testdata/valid.yaml"}, &out, &errb)
	if code != 0 || out.Len() != 0 || errb.Len() != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and no output", code, out.String(), errb.String())
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		stderr string // a part of stderr
	}{
		{"no arguments", nil, "Usage:"},
		{"unknown command", []string{"lint"}, `unknown command "lint"`},
		{"no files", []string{"validate"}, "needs at least one FILE"},
		{"bad mode", []string{"validate", "--mode", "loose", "testdata/valid.yaml"}, `--mode "loose": expected strict or compat`},
		{"unknown flag", []string{"validate", "--fast", "testdata/valid.yaml"}, "flag provided but not defined: -fast"},
		{"missing file", []string{"validate", "testdata/valid.yaml", "testdata/absent.yaml"}, "cannot read testdata/absent.yaml: no such file or directory"},
		{"schema with argument", []string{"schema", "x"}, "schema takes no arguments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(c.args, &out, &errb); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), c.stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"validate", "--help"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 {
			t.Errorf("%v: exit code %d, want 0", args, code)
		}
		for _, want := range []string{"orchcfg validate [--mode strict|compat] FILE...", "orchcfg schema", "Exit status:"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
}

func TestSchemaCommand(t *testing.T) {
	want, err := os.ReadFile("../../schema/config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"schema"}, &out, &errb); code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, errb.String())
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Error("orchcfg schema differs from schema/config.schema.json")
	}
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
