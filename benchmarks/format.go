package main

import (
	"fmt"
	"strings"
	"time"
)

// table writes a Markdown table; columns after the first are right-aligned.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.head, " | ") + " |\n|")
	for i := range t.head {
		if i == 0 {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// rate writes a count per second with three significant digits: 812, 45.6k,
// 1.23M.
func rate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.3gk", v/1e3)
	}
	return fmt.Sprintf("%.3g", v)
}

// dur writes a latency with three significant digits: 85ns, 41.2µs, 1.25ms.
func dur(d time.Duration) string {
	v := float64(d)
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3gs", v/1e9)
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3gms", v/1e6)
	case d >= time.Microsecond:
		return fmt.Sprintf("%.3gµs", v/1e3)
	}
	return fmt.Sprintf("%dns", d)
}

// bytesOf writes a byte count in KiB, MiB or GiB.
func bytesOf(n float64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3g GiB", n/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", n/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KiB", n/(1<<10))
	}
	return fmt.Sprintf("%.0f B", n)
}

// perOp writes B/op or allocs/op, whole above 10.
func perOp(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// cpuTime writes a CPU time per call, or "–" where it could not be read.
func cpuTime(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return dur(d)
}

// ratio writes a ratio, or "–" when there is none.
func ratio(v float64) string {
	if v == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}
