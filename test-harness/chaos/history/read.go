package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// History is a parsed history file.
type History struct {
	Header  Header
	Records []Record
	// Truncated says why the history is not complete ("" when it is):
	// no end record, a partial last line, or an end record marked
	// incomplete.
	Truncated string
	// End is the end record, when there is one.
	End *Record
}

// ParseError names the line of a record that does not parse.
type ParseError struct {
	Path string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
}

// ReadFile reads the history at path.
func ReadFile(path string) (*History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read parses a history; name is used in errors.
func Read(name string, r io.Reader) (*History, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h := &History{}
	line := 0
	var last int64
	for {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line++
		partial := err == io.EOF // no newline: the writer stopped mid-line
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			if partial {
				break
			}
			return nil, &ParseError{name, line, fmt.Errorf("empty line")}
		}
		var rec Record
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if derr := dec.Decode(&rec); derr != nil {
			if partial {
				h.Truncated = fmt.Sprintf("line %d is cut short (no newline): %v", line, derr)
				break
			}
			return nil, &ParseError{name, line, derr}
		}
		if perr := check(&rec, line, last, h); perr != nil {
			return nil, &ParseError{name, line, perr}
		}
		last = rec.Seq
		if rec.Type == KindRun {
			h.Header = *rec.Header
		}
		if rec.Type == KindEnd {
			e := rec
			h.End = &e
		}
		h.Records = append(h.Records, rec)
		if partial {
			break
		}
	}
	switch {
	case line == 0:
		return nil, &ParseError{name, 1, fmt.Errorf("empty history: no run header")}
	case h.Truncated != "":
	case h.End == nil:
		h.Truncated = fmt.Sprintf("no end record after line %d: the run stopped before it finished", line)
	case h.End.Incomplete:
		h.Truncated = "the end record marks the run incomplete (interrupted)"
	}
	return h, nil
}

func check(r *Record, line int, last int64, h *History) error {
	switch {
	case line == 1 && (r.Type != KindRun || r.Header == nil):
		return fmt.Errorf("first record must be the run header, got type %q", r.Type)
	case line > 1 && r.Type == KindRun:
		return fmt.Errorf("second run header")
	case h.End != nil:
		return fmt.Errorf("record after the end record")
	case r.Seq != last+1:
		return fmt.Errorf("sequence %d after %d: records missing or out of order", r.Seq, last)
	}
	switch r.Type {
	case KindRun, KindCore, KindNext, KindReplica, KindFault, KindClient, KindEnd:
	default:
		return fmt.Errorf("unknown record type %q", r.Type)
	}
	return nil
}
