package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WriteAll writes report.json, report.md and report.html into dir.
func WriteAll(dir string, r *Report) error {
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"report.json": append(js, '\n'),
		"report.md":   Markdown(r),
		"report.html": HTML(r),
	}
	for _, name := range []string{"report.json", "report.md", "report.html"} {
		if err := writeFile(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes to a temporary file and renames it into place.
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func classNames(r *Report) []string {
	var out []string
	for _, c := range r.Config.Classes {
		out = append(out, c.Name)
	}
	if len(out) == 0 {
		for n := range r.Classes {
			out = append(out, n)
		}
		sort.Strings(out)
	}
	return out
}

// Markdown renders the report for a PR comment.
func Markdown(r *Report) []byte {
	var b bytes.Buffer
	icon := map[string]string{"pass": "PASS", "fail": "FAIL", "incomplete": "INCOMPLETE"}[r.Result]
	fmt.Fprintf(&b, "## Chaos run: %s\n\n", icon)
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "**Incomplete:** %s\n\n", r.Incomplete)
	}
	fmt.Fprintf(&b, "seed `%d` · provider `%s` · fairness `%s` · %d replicas · load %.1f s at %.0f/s\n\n",
		r.Seed, r.Provider, r.Config.Fairness, len(r.Config.Replicas), float64(r.Config.DurationMs)/1000, r.Config.Rate)
	fmt.Fprintf(&b, "command: `%s`\n\n", strings.Join(r.Command, " "))
	b.WriteString("| invariant | requirements | verdict | findings |\n|---|---|---|---|\n")
	for _, v := range r.Verdicts {
		first := ""
		if len(v.Findings) > 0 {
			first = mdEscape(v.Findings[0])
			if n := len(v.Findings) + v.Omitted - 1; n > 0 {
				first += fmt.Sprintf(" (and %d more)", n)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", v.Name, strings.Join(v.Reqs, ", "), v.Status, first)
	}
	for _, v := range r.Verdicts {
		if len(v.Findings) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d findings</summary>\n\n", v.Name, len(v.Findings)+v.Omitted)
		for _, f := range v.Findings {
			fmt.Fprintf(&b, "- %s\n", mdEscape(f))
		}
		if v.Omitted > 0 {
			fmt.Fprintf(&b, "- … and %d more\n", v.Omitted)
		}
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n| class | admitted | refused | dispatched | completed | queue wait p50/p99 ms | TTFT p50/p99 ms | end-to-end p50/p99 ms | completed/s |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, name := range classNames(r) {
		c := r.Classes[name]
		if c == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d / %d | %d / %d | %d / %d | %.2f |\n", name, c.Admitted, c.Refused,
			c.Dispatched, c.Terminal["completed"], c.QueueWait.P50, c.QueueWait.P99, c.TTFT.P50, c.TTFT.P99,
			c.EndToEnd.P50, c.EndToEnd.P99, c.Throughput)
	}
	if len(r.Faults) > 0 {
		b.WriteString("\n| fault | kind | target | window ms | verified | dispatches in window |\n|---|---|---|---|---|---|\n")
		for _, f := range r.Faults {
			fmt.Fprintf(&b, "| %s | %s %s | %s | %d–%d | %v: %s | %d |\n", f.ID, f.Kind, f.Mode, f.Target, f.StartMs, f.EndMs,
				f.Verified, mdEscape(f.Detail), f.Dispatches)
		}
	}
	return b.Bytes()
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
