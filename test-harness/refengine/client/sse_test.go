package client_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
)

func events(t *testing.T, stream string) []string {
	t.Helper()
	var got []string
	err := client.ReadEvents(strings.NewReader(stream), func(d []byte) error {
		got = append(got, string(d))
		return nil
	})
	if err != nil {
		t.Fatalf("ReadEvents(%q): %v", stream, err)
	}
	return got
}

func TestReadEvents(t *testing.T) {
	cases := []struct {
		name, stream string
		want         []string
	}{
		{"llama.cpp shape", "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n", []string{`{"a":1}`, `{"b":2}`}},
		{"no space after colon", "data:x\n\n", []string{"x"}},
		{"only one space stripped", "data:  x\n\n", []string{" x"}},
		{"multi-line data", "data: a\ndata: b\n\n", []string{"a\nb"}},
		{"crlf", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"a", "b"}},
		{"lone cr", "data: a\r\rdata: b\r\r", []string{"a", "b"}},
		{"comments and other fields", ": ping\nevent: x\nid: 3\nretry: 10\ndata: a\n\n", []string{"a"}},
		{"event without data is skipped", "event: x\n\ndata: a\n\n", []string{"a"}},
		{"empty data is delivered", "data:\n\n", []string{""}},
		{"unterminated last event dropped", "data: a\n\ndata: b", []string{"a"}},
		{"blank lines between events", "\n\n\ndata: a\n\n\n", []string{"a"}},
		{"field without colon", "data\n\n", []string{""}},
	}
	for _, c := range cases {
		if got := events(t, c.stream); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestReadEventsStopsOnCallbackError(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	err := client.ReadEvents(strings.NewReader("data: a\n\ndata: b\n\n"), func([]byte) error {
		n++
		return boom
	})
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("err %v after %d calls, want boom after 1", err, n)
	}
	n = 0
	err = client.ReadEvents(strings.NewReader("data: a\n\ndata: b\n\n"), func([]byte) error {
		n++
		return client.ErrStop
	})
	if err != nil || n != 1 {
		t.Errorf("ErrStop: err %v after %d calls", err, n)
	}
}

func TestReadEventsRejectsOverlongLine(t *testing.T) {
	long := "data: " + strings.Repeat("x", client.MaxLine+1) + "\n\n"
	err := client.ReadEvents(strings.NewReader(long), func([]byte) error { return nil })
	if err == nil {
		t.Error("accepted a line longer than MaxLine")
	}
}

// FuzzReadEvents checks that ReadEvents never panics, and that a stream
// written from payloads reads back as exactly those payloads.
func FuzzReadEvents(f *testing.F) {
	f.Add([]byte("data: {\"content\":\"a\",\"stop\":false}\n\ndata: [DONE]\n\n"))
	f.Add([]byte("data: a\r\ndata: b\r\n\r\n: c\n\rdata\n\n"))
	f.Add([]byte("\r"))
	f.Fuzz(func(t *testing.T, in []byte) {
		client.ReadEvents(bytes.NewReader(in), func([]byte) error { return nil })

		// Round trip: treat the input as payloads separated by NUL; a
		// payload is any text without line breaks.
		payloads := strings.Split(strings.NewReplacer("\r", "", "\n", "").Replace(string(in)), "\x00")
		var b strings.Builder
		for _, p := range payloads {
			b.WriteString("data: " + p + "\n\n")
		}
		got := events(t, b.String())
		if !slices.Equal(got, payloads) {
			t.Fatalf("round trip: got %q, want %q", got, payloads)
		}
	})
}
