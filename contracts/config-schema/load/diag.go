package load

import (
	"fmt"
	"strings"
)

// Mode says how unknown fields are treated.
type Mode int

const (
	// Strict makes an unknown field an error.
	Strict Mode = iota
	// Compat makes an unknown field a warning, so an older build can read a
	// newer file.
	Compat
)

// ParseMode reads "strict" or "compat".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "strict":
		return Strict, nil
	case "compat":
		return Compat, nil
	}
	return Strict, fmt.Errorf("load: unknown mode %q: expected strict or compat", s)
}

// String returns "strict" or "compat".
func (m Mode) String() string {
	if m == Compat {
		return "compat"
	}
	return "strict"
}

// Severity of a Diagnostic.
type Severity int

const (
	// Error makes the configuration invalid.
	Error Severity = iota
	// Warning is reported but leaves the configuration valid.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// RootPath is the Diagnostic.Path of a problem with the document as a whole.
const RootPath = "(root)"

// Diagnostic is one problem found in a configuration file.
type Diagnostic struct {
	// File is the name given to Parse (the path for File).
	File string
	// Line and Col are 1-based positions in the file.
	Line, Col int
	// Path is the field path, e.g. pools[1].admission_policy, or RootPath.
	Path string
	// Message says what was wrong and what was expected.
	Message string
	// Severity is Error or Warning.
	Severity Severity
}

// String formats the diagnostic as FILE:LINE:COL: PATH: message; a warning's
// message starts with "warning: ".
func (d Diagnostic) String() string {
	msg := d.Message
	if d.Severity == Warning {
		msg = "warning: " + msg
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.File, d.Line, d.Col, d.Path, msg)
}

// HasErrors reports whether any diagnostic is an Error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
