package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Writer appends records to a JSONL file, one flushed line each.
type Writer struct {
	mu struct {
		sync.Mutex
		f    *os.File
		w    *bufio.Writer
		seq  int64
		err  error
		done bool
	}
	start time.Time
	path  string
}

// Create creates (or truncates) the history file at path; start is the
// monotonic origin of every record's Ms.
func Create(path string, start time.Time) (*Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	w := &Writer{start: start, path: path}
	w.mu.f, w.mu.w = f, bufio.NewWriter(f)
	return w, nil
}

// Path is the file written.
func (w *Writer) Path() string { return w.path }

// Ms is the monotonic milliseconds since start.
func (w *Writer) Ms() int64 { return time.Since(w.start).Milliseconds() }

// Add stamps r with the next sequence number and, when r.Ms is zero and
// r is not the header, the current time, then writes and flushes it. It
// returns the sequence number. Errors are kept and returned by Close.
func (w *Writer) Add(r Record) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mu.done || w.mu.err != nil {
		return 0
	}
	w.mu.seq++
	r.Seq = w.mu.seq
	if r.Ms == 0 && r.Type != KindRun {
		r.Ms = time.Since(w.start).Milliseconds()
	}
	b, err := json.Marshal(r)
	if err == nil {
		b = append(b, '\n')
		if _, err = w.mu.w.Write(b); err == nil {
			err = w.mu.w.Flush()
		}
	}
	if err != nil {
		w.mu.err = fmt.Errorf("history %s: %w", w.path, err)
	}
	return r.Seq
}

// Close flushes and closes the file; later Adds are dropped.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mu.done {
		return w.mu.err
	}
	w.mu.done = true
	if err := w.mu.w.Flush(); err != nil && w.mu.err == nil {
		w.mu.err = err
	}
	if err := w.mu.f.Sync(); err != nil && w.mu.err == nil {
		w.mu.err = err
	}
	if err := w.mu.f.Close(); err != nil && w.mu.err == nil {
		w.mu.err = err
	}
	return w.mu.err
}
