package transcript

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Read loads the transcript in dir and checks it is whole.
func Read(dir string) (Manifest, []Trial, error) {
	var m Manifest
	head, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, nil, fmt.Errorf("transcript: %w", err)
	}
	if err := json.Unmarshal(head, &m); err != nil {
		return m, nil, fmt.Errorf("transcript: %s: %w", ManifestFile, err)
	}
	if m.Format != Format {
		return m, nil, fmt.Errorf("transcript: %s: format %q, want %q", ManifestFile, m.Format, Format)
	}
	body, err := os.ReadFile(filepath.Join(dir, TrialsFile))
	if err != nil {
		return m, nil, fmt.Errorf("transcript: %w", err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != m.TrialsSHA256 {
		return m, nil, fmt.Errorf("transcript: %s: sha256 %s, manifest says %s", TrialsFile, got, m.TrialsSHA256)
	}
	var trials []Trial
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var t Trial
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return m, nil, fmt.Errorf("transcript: %s:%d: %w", TrialsFile, n, err)
		}
		if len(t.Streams) == 0 {
			return m, nil, fmt.Errorf("transcript: %s:%d: trial has no stream", TrialsFile, n)
		}
		trials = append(trials, t)
	}
	if err := sc.Err(); err != nil {
		return m, nil, fmt.Errorf("transcript: %s: %w", TrialsFile, err)
	}
	if len(trials) != m.Trials {
		return m, nil, fmt.Errorf("transcript: %s has %d trials, manifest says %d", TrialsFile, len(trials), m.Trials)
	}
	return m, trials, nil
}
