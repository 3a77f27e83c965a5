package client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine bounds one SSE line.
const MaxLine = 4 << 20

// ErrStop, returned by a ReadEvents callback, ends reading without error.
var ErrStop = errors.New("client: stop reading events")

// ReadEvents reads a text/event-stream from r and calls fn with the data of
// each complete event: its "data:" lines (one optional space after the
// colon removed) joined by "\n". Comments and other fields are skipped;
// events without data are not delivered; an event not closed by a blank
// line before EOF is dropped, as the SSE standard says. Lines may end in
// "\n", "\r\n" or "\r". fn's data is only valid during the call.
func ReadEvents(r io.Reader, fn func(data []byte) error) error {
	return readFields(r, func(field string, data []byte) error {
		if field != "data" {
			return nil
		}
		return fn(data)
	})
}

// readFields is ReadEvents that also delivers an event made of "error:"
// lines, which llama.cpp's server writes (outside the SSE standard) when
// generation fails after the stream began; field is "data" or "error".
func readFields(r io.Reader, fn func(field string, data []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	sc.Split(scanLines)
	var data, errData []byte
	has, hasErr := false, false
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			var err error
			switch {
			case has:
				err = fn("data", data)
			case hasErr:
				err = fn("error", errData)
			}
			if err != nil {
				if errors.Is(err, ErrStop) {
					return nil
				}
				return err
			}
			data, errData, has, hasErr = data[:0], errData[:0], false, false
			continue
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if len(name) == 0 {
			continue // comment
		}
		if !found {
			value = nil
		}
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(name) {
		case "data":
			if has {
				data = append(data, '\n')
			}
			data = append(data, value...)
			has = true
		case "error":
			if hasErr {
				errData = append(errData, '\n')
			}
			errData = append(errData, value...)
			hasErr = true
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("client: reading event stream: %w", err)
	}
	if hasErr && !has { // the server closes right after its error line
		return fn("error", errData)
	}
	return nil
}

// scanLines splits on "\n", "\r\n" or a lone "\r".
func scanLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		switch b {
		case '\n':
			return i + 1, data[:i], nil
		case '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil // need one more byte to tell "\r" from "\r\n"
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
