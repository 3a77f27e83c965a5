package metrics_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"orchcore.dev/contracts/metrics"
)

var update = flag.Bool("update", false, "rewrite the generated part of the spec file")

const specFile = "../../.specs/71-metrics-contract.md"

// The spec's tables are rendered from the contract; they must not drift.
func TestSpecTable(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	t.Attr("req", "OC-METRICS-7103")
	c := load(t)
	raw, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	want := c.Markdown()
	begin := strings.Index(doc, metrics.BeginMarker)
	end := strings.Index(doc, metrics.EndMarker)
	var got, head, tail string
	switch {
	case begin >= 0 && end > begin:
		cut := end + len(metrics.EndMarker) + 1
		head, got, tail = doc[:begin], doc[begin:min(cut, len(doc))], doc[min(cut, len(doc)):]
	case *update:
		head = doc // no table yet: append one
	default:
		t.Fatalf("%s has no generated section; run with -update", specFile)
	}
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(specFile, []byte(head+want+tail), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with contract.yaml; run: go test ./... -run TestSpecTable -update", specFile)
}

func TestMarkdownListsBudgetsAndBuckets(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	md := load(t).Markdown()
	for _, row := range []string{
		"| `replica_id` | 256 |",
		"| `latency_decode_ms` | histogram | ms | `pool_id`, `engine` | 250, 500, 1000,",
		"`__other__`",
	} {
		if !strings.Contains(md, row) {
			t.Errorf("Markdown lacks %q", row)
		}
	}
}
