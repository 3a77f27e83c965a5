package history_test

import (
	"errors"

	"path/filepath"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/chaos/history"
)

func TestWriterFlushesEachLine(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	path := filepath.Join(t.TempDir(), "history.jsonl")
	w, err := history.Create(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.Add(history.Record{Type: history.KindRun, Header: &history.Header{Version: 1}})
	w.Add(history.Record{Type: history.KindCore, Event: "admitted", Task: "t1"})
	// Not closed: a crashed run. The prefix is on disk and reads as truncated.
	h, err := history.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Records) != 2 || h.Truncated == "" {
		t.Fatalf("records %d truncated %q; want 2 records and a truncation", len(h.Records), h.Truncated)
	}
	w.Add(history.Record{Type: history.KindEnd, Drained: true})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	h, err = history.ReadFile(path)
	if err != nil || h.Truncated != "" || h.Records[2].Seq != 3 {
		t.Fatalf("complete history: err %v truncated %q", err, h.Truncated)
	}
}

func TestReadNamesTheBadLine(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8009")
	cases := map[string]string{
		"not json":      `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"core"}` + "\n" + "{oops\n",
		"sequence gap":  `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"core"}` + "\n" + `{"seq":4,"ms":1,"type":"core"}` + "\n",
		"unknown type":  `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"core"}` + "\n" + `{"seq":3,"ms":1,"type":"bogus"}` + "\n",
		"unknown field": `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"core"}` + "\n" + `{"seq":3,"ms":1,"type":"core","zzz":1}` + "\n",
		"after the end": `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"end"}` + "\n" + `{"seq":3,"ms":1,"type":"core"}` + "\n",
	}
	for name, text := range cases {
		_, err := history.Read("h.jsonl", strings.NewReader(text))
		pe, ok := errors.AsType[*history.ParseError](err)
		if !ok || pe.Line != 3 || !strings.HasPrefix(err.Error(), "h.jsonl:3: ") {
			t.Errorf("%s: err %v, want a parse error naming line 3", name, err)
		}
	}
	if _, err := history.Read("h", strings.NewReader(`{"seq":1,"type":"core"}`+"\n")); err == nil {
		t.Error("a history without a header parsed")
	}
}

func TestPartialLastLineIsTruncation(t *testing.T) {
	text := `{"seq":1,"ms":0,"type":"run","header":{"version":1}}` + "\n" + `{"seq":2,"ms":1,"type":"co`
	h, err := history.Read("h", strings.NewReader(text))
	if err != nil || !strings.Contains(h.Truncated, "line 2 is cut short") {
		t.Fatalf("err %v truncated %q", err, h.Truncated)
	}
}
