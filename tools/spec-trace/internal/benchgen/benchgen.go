package benchgen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Config sizes the generated repository.
type Config struct {
	Reqs      int   // requirements, spread over 10 areas
	Tests     int   // referencing tests
	Packages  int   // Go packages the tests live in
	Bytes     int64 // approximate size of the go test -json stream
	FailEvery int   // every n-th test fails (0: none)
	SkipEvery int   // every n-th test is skipped (0: none)
}

// Write creates root/.specs, root/go.mod, the test sources and
// root/go.json, and returns the stream's path and size.
func Write(root string, c Config) (string, int64, error) {
	if err := writeSpecs(root, c); err != nil {
		return "", 0, err
	}
	if err := writeSources(root, c); err != nil {
		return "", 0, err
	}
	return writeStream(root, c)
}

func id(i int) string { return fmt.Sprintf("GEN-A%d-%05d", i%10, i) }

func writeSpecs(root string, c Config) error {
	dir := filepath.Join(root, ".specs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "gen.md"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# Generated requirements")
	levels := []string{"MUST", "MUST", "SHOULD", "MAY"}
	for i := range c.Reqs {
		fmt.Fprintf(w, "- [%s] %s — Generated requirement %d. It exists to make the benchmark realistic.\n", id(i), levels[i%4], i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func pkgOf(k int, c Config) int { return k % c.Packages }

func writeSources(root string, c Config) error {
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module gen.test/big\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	files := make([]*bufio.Writer, c.Packages)
	closers := make([]*os.File, c.Packages)
	for p := range c.Packages {
		dir := filepath.Join(root, fmt.Sprintf("p%03d", p))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(dir, "gen_test.go"))
		if err != nil {
			return err
		}
		closers[p] = f
		files[p] = bufio.NewWriter(f)
		fmt.Fprintf(files[p], "package p%03d\n\nimport \"testing\"\n", p)
	}
	for k := range c.Tests {
		fmt.Fprintf(files[pkgOf(k, c)], "\nfunc TestGen%06d(t *testing.T) {\n\tt.Attr(\"req\", %q)\n}\n", k, id(k%c.Reqs))
	}
	for p := range c.Packages {
		if err := files[p].Flush(); err != nil {
			return err
		}
		if err := closers[p].Close(); err != nil {
			return err
		}
	}
	return nil
}

func writeStream(root string, c Config) (string, int64, error) {
	path := filepath.Join(root, "go.json")
	f, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	emit := func(format string, args ...any) {
		m, _ := fmt.Fprintf(w, format, args...)
		n += int64(m)
	}
	const ts = `"Time":"2026-11-26T19:00:00.000000000Z"`
	perTest := c.Bytes / int64(max(c.Tests, 1))
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 4)
	for p := range c.Packages {
		pkg := fmt.Sprintf("gen.test/big/p%03d", p)
		emit("{%s,\"Action\":\"start\",\"Package\":%q}\n", ts, pkg)
		failed := false
		for k := p; k < c.Tests; k += c.Packages {
			name := fmt.Sprintf("TestGen%06d", k)
			start := n
			emit("{%s,\"Action\":\"run\",\"Package\":%q,\"Test\":%q}\n", ts, pkg, name)
			emit("{%s,\"Action\":\"output\",\"Package\":%q,\"Test\":%q,\"Output\":\"=== RUN   %s\\n\"}\n", ts, pkg, name, name)
			emit("{%s,\"Action\":\"attr\",\"Package\":%q,\"Test\":%q,\"Key\":\"req\",\"Value\":%q}\n", ts, pkg, name, id(k%c.Reqs))
			emit("{%s,\"Action\":\"output\",\"Package\":%q,\"Test\":%q,\"Output\":\"=== ATTR  %s req %s\\n\"}\n", ts, pkg, name, name, id(k%c.Reqs))
			for line := 0; n-start < perTest-200; line++ {
				emit("{%s,\"Action\":\"output\",\"Package\":%q,\"Test\":%q,\"Output\":\"    gen_test.go:%d: %s%d\\n\"}\n", ts, pkg, name, line, filler, line)
			}
			action, word := "pass", "PASS"
			switch {
			case c.FailEvery > 0 && k%c.FailEvery == 0:
				action, word, failed = "fail", "FAIL", true
			case c.SkipEvery > 0 && k%c.SkipEvery == 1:
				action, word = "skip", "SKIP"
			}
			emit("{%s,\"Action\":\"output\",\"Package\":%q,\"Test\":%q,\"Output\":\"--- %s: %s (0.00s)\\n\"}\n", ts, pkg, name, word, name)
			emit("{%s,\"Action\":%q,\"Package\":%q,\"Test\":%q,\"Elapsed\":0}\n", ts, action, pkg, name)
		}
		result := "pass"
		if failed {
			result = "fail"
		}
		emit("{%s,\"Action\":%q,\"Package\":%q,\"Elapsed\":0.5}\n", ts, result, pkg)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", 0, err
	}
	return path, n, f.Close()
}
