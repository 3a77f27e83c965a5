package transcript

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write records m and trials as the transcript directory dir. It sets
// m.Format, m.Trials and m.TrialsSHA256. See the package doc for atomicity.
func Write(dir string, m Manifest, trials []Trial) (err error) {
	if err := checkTarget(dir); err != nil {
		return err
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".partial-")
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()

	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for i := range trials {
		if err := enc.Encode(&trials[i]); err != nil {
			return fmt.Errorf("transcript: trial %d: %w", i, err)
		}
	}
	sum := sha256.Sum256(body.Bytes())
	m.Format = Format
	m.Trials = len(trials)
	m.TrialsSHA256 = hex.EncodeToString(sum[:])
	head, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("transcript: manifest: %w", err)
	}
	if err := writeSynced(filepath.Join(tmp, TrialsFile), body.Bytes()); err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(tmp, ManifestFile), append(head, '\n')); err != nil {
		return err
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	// An empty target directory (e.g. made by the caller) is replaced.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("transcript: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	return syncDir(parent)
}

// checkTarget refuses a dir that exists and is not an empty directory.
func checkTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("transcript: %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("transcript: %s exists and is not empty", dir)
	}
	return nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("transcript: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("transcript: %w", err)
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("transcript: sync %s: %w", dir, err)
	}
	return nil
}
