package cli_test

import (
	"strings"
	"testing"
)

// Two --engine flags naming the same replica prove nothing about two
// replicas: after normalising scheme, host, default port and trailing
// slash, a repeated URL is a usage error that names it.
func TestDuplicateEnginesRefused(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	e := "http://127.0.0.1:1"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"same", []string{"run", "--engine", e, "--engine", e}, e},
		{"trailing slash", []string{"run", "--engine", e, "--engine", e + "/"}, e},
		{"case of scheme and host", []string{"run", "--engine", "http://Example.TEST:8080", "--engine", "HTTP://example.test:8080/"}, "http://example.test:8080"},
		{"default port", []string{"run", "--engine", "http://example.test", "--engine", "http://example.test:80"}, "http://example.test"},
		{"https default port", []string{"run", "--engine", "https://example.test:443", "--engine", "https://example.test/"}, "https://example.test"},
		{"third of three", []string{"run", "--engine", e, "--engine", "http://127.0.0.1:2", "--engine", e}, e},
		{"replay", []string{"replay", "--transcripts", "/nonexistent", "--engine", e, "--engine", e + "/"}, e},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-TEST-7001")
			o := detsuite(t, c.args...)
			if o.code != 2 || !strings.Contains(o.stderr, "given twice") || !strings.Contains(o.stderr, c.want) || o.stdout != "" {
				t.Fatalf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming %q given twice", c.args, o.code, o.stdout, o.stderr, c.want)
			}
		})
	}
	// Distinct replicas on one host are fine: this one gets past the
	// check and fails only later, when the engines do not answer.
	o := detsuite(t, "run", "--engine", e, "--engine", "http://127.0.0.1:2", "--seeds", seeds(t, 1))
	if strings.Contains(o.stderr, "given twice") {
		t.Fatalf("distinct engines refused as duplicates: %q", o.stderr)
	}
}
