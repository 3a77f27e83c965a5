package report

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strings"
)

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"}

// HTML renders one self-contained page: inline CSS and SVG, no scripts,
// no external resources.
func HTML(r *Report) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chaos run report</title>\n<style>body{font:14px sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}.pass{color:#2a7d2a}.fail,.incomplete{color:#c00;font-weight:bold}svg{border:1px solid #ddd;margin:0.5em 0}</style></head><body>\n")
	fmt.Fprintf(&b, "<h1>Chaos run: <span class=\"%s\">%s</span></h1>\n", r.Result, html.EscapeString(r.Result))
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "<p class=\"incomplete\">Incomplete: %s</p>\n", html.EscapeString(r.Incomplete))
	}
	fmt.Fprintf(&b, "<p>seed %d · provider %s · fairness %s · replicas %s · command <code>%s</code></p>\n",
		r.Seed, html.EscapeString(r.Provider), html.EscapeString(r.Config.Fairness),
		html.EscapeString(strings.Join(r.Config.Replicas, ", ")), html.EscapeString(strings.Join(r.Command, " ")))
	b.WriteString("<h2>Verdicts</h2><table><tr><th>invariant</th><th>requirements</th><th>verdict</th><th>findings</th></tr>\n")
	for _, v := range r.Verdicts {
		fs := make([]string, 0, len(v.Findings))
		for _, f := range v.Findings {
			fs = append(fs, html.EscapeString(f))
		}
		if v.Omitted > 0 {
			fs = append(fs, fmt.Sprintf("… and %d more", v.Omitted))
		}
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td><td>%s</td></tr>\n", v.Name,
			strings.Join(v.Reqs, ", "), v.Status, v.Status, strings.Join(fs, "<br>"))
	}
	b.WriteString("</table>\n")
	names := classNames(r)
	series := func(title, unit string, get func(Bucket, string) (float64, bool)) {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(title))
		b.WriteString(chart(r, names, unit, get))
	}
	series("Throughput per class (completed per second)", "/s", func(x Bucket, c string) (float64, bool) {
		return float64(x.Completed[c]) * 1000 / float64(r.BucketMs), true
	})
	series("End-to-end latency p50 per class (ms)", "ms", func(x Bucket, c string) (float64, bool) {
		v, ok := x.P50[c]
		return float64(v), ok
	})
	series("End-to-end latency p90 per class (ms)", "ms", func(x Bucket, c string) (float64, bool) {
		v, ok := x.P90[c]
		return float64(v), ok
	})
	series("Queue wait p90 per class (ms, first dispatches)", "ms", func(x Bucket, c string) (float64, bool) {
		v, ok := x.QueueP90[c]
		return float64(v), ok
	})
	series("Time to first token p90 per class (ms)", "ms", func(x Bucket, c string) (float64, bool) {
		v, ok := x.TTFTP90[c]
		return float64(v), ok
	})
	series("Queue depth per class", "tasks", func(x Bucket, c string) (float64, bool) {
		return float64(x.Depth[c]), true
	})
	b.WriteString("<h2>Classes</h2><table><tr><th>class</th><th>admitted</th><th>refused</th><th>dispatched</th><th>terminal</th><th>queue wait p50/p90/p99 ms</th><th>TTFT p50/p90/p99 ms</th><th>end-to-end p50/p90/p99 ms</th></tr>\n")
	for _, n := range names {
		c := r.Classes[n]
		if c == nil {
			continue
		}
		q := func(x Quantiles) string { return fmt.Sprintf("%d / %d / %d", x.P50, x.P90, x.P99) }
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			html.EscapeString(n), c.Admitted, c.Refused, c.Dispatched, html.EscapeString(terminals(c.Terminal)), q(c.QueueWait), q(c.TTFT), q(c.EndToEnd))
	}
	b.WriteString("</table>\n<h2>Faults</h2><table><tr><th>id</th><th>kind</th><th>target</th><th>window (ms)</th><th>verified</th><th>dispatches in window</th></tr>\n")
	for _, f := range r.Faults {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s %s</td><td>%s</td><td>%d–%d</td><td class=\"%s\">%v: %s</td><td>%d</td></tr>\n",
			f.ID, f.Kind, html.EscapeString(f.Mode), f.Target, f.StartMs, f.EndMs, map[bool]string{true: "pass", false: "fail"}[f.Verified],
			f.Verified, html.EscapeString(f.Detail), f.Dispatches)
	}
	b.WriteString("</table>\n</body></html>\n")
	return b.Bytes()
}

// chart draws one line per class over the series, fault windows shaded.
func chart(r *Report, names []string, unit string, get func(Bucket, string) (float64, bool)) string {
	const W, H, L, B = 1000.0, 220.0, 50.0, 25.0
	var s strings.Builder
	maxY := 1.0
	for _, x := range r.Series {
		for _, c := range names {
			if v, ok := get(x, c); ok && v > maxY {
				maxY = v
			}
		}
	}
	span := float64(max(r.EndMs, 1))
	px := func(ms float64) float64 { return L + (W-L-10)*ms/span }
	py := func(v float64) float64 { return H - B - (H-B-10)*v/maxY }
	fmt.Fprintf(&s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", W, H+20, W, H+20)
	for _, f := range r.Faults {
		end := f.EndMs
		if end < 0 {
			end = r.EndMs
		}
		fmt.Fprintf(&s, "<rect class=\"fault\" x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%.1f\" fill=\"#f4a582\" fill-opacity=\"0.35\"><title>%s %s %s</title></rect>\n",
			px(float64(f.StartMs)), max(px(float64(end))-px(float64(f.StartMs)), 1), H-B-10, f.ID, f.Kind, f.Target)
		fmt.Fprintf(&s, "<text x=\"%.1f\" y=\"20\" font-size=\"9\">%s</text>\n", px(float64(f.StartMs))+1, f.Kind)
	}
	fmt.Fprintf(&s, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", L, H-B, W-10, H-B)
	fmt.Fprintf(&s, "<line x1=\"%.0f\" y1=\"10\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", L, L, H-B)
	fmt.Fprintf(&s, "<text x=\"2\" y=\"18\" font-size=\"10\">%.0f %s</text><text x=\"2\" y=\"%.0f\" font-size=\"10\">0</text>\n", maxY, unit, H-B)
	fmt.Fprintf(&s, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\">0 s</text><text x=\"%.0f\" y=\"%.0f\" font-size=\"10\">%.0f s</text>\n", L, H-8, W-50, H-8, span/1000)
	for i, c := range names {
		var pts []string
		for _, x := range r.Series {
			if v, ok := get(x, c); ok {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(float64(x.AtMs+r.BucketMs/2)), py(v)))
			}
		}
		col := palette[i%len(palette)]
		if len(pts) > 0 {
			fmt.Fprintf(&s, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"><title>%s</title></polyline>\n", col, strings.Join(pts, " "), html.EscapeString(c))
		}
		fmt.Fprintf(&s, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" fill=\"%s\">%s</text>\n", L+10+float64(i)*110, H+12, col, html.EscapeString(c))
	}
	s.WriteString("</svg>\n")
	return s.String()
}

// terminals lists terminal states and counts, sorted by state.
func terminals(m map[string]int) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
