package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// isRate reports whether a unit counts things per second (higher is better).
func isRate(unit string) bool { return strings.HasSuffix(unit, "/s") }

// costRatio is our cost divided by the baseline's: time or bytes per operation, or for
// rates the baseline's rate divided by ours. 2 means "twice as slow (or big)".
func costRatio(ours, base float64, unit string) (float64, bool) {
	if ours <= 0 || base <= 0 {
		return 0, false
	}
	if isRate(unit) {
		return base / ours, true
	}
	return ours / base, true
}

// formatRatio prints a cost ratio with three significant digits.
func formatRatio(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 10:
		return fmt.Sprintf("%.1f×", r)
	default:
		return fmt.Sprintf("%.2f×", r)
	}
}

// formatValue prints a figure in a unit people read at a glance.
func formatValue(v float64, unit string) string {
	switch {
	case strings.HasPrefix(unit, "ns/"), strings.HasSuffix(unit, "-ns"), strings.HasPrefix(unit, "cpu-ns/"):
		return formatDuration(v) + perWhat(unit)
	case unit == "B/proc":
		return formatBytes(v) + "/proc"
	case strings.HasPrefix(unit, "MiB"): // MiB_after, MiB/proc, …
		return sig3(v) + " MiB" + perWhat(unit)
	case isRate(unit):
		return thousands(strconv.FormatFloat(math.Round(v), 'f', 0, 64)) + " " + unit
	default:
		return strconv.FormatFloat(v, 'g', 4, 64) + " " + unit
	}
}

// perWhat is the "/hop" of "ns/hop"; "/op" and run figures get nothing.
func perWhat(unit string) string {
	_, per, ok := strings.Cut(unit, "/")
	if !ok || per == "op" || per == "run" {
		return ""
	}
	return "/" + per
}

func formatDuration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%s ms", sig3(ns/1e6))
	case ns >= 1e3:
		return fmt.Sprintf("%s µs", sig3(ns/1e3))
	default:
		return fmt.Sprintf("%s ns", sig3(ns))
	}
}

// formatBytes uses binary units (1 KiB = 1024 B).
func formatBytes(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%s GiB", sig3(b/(1<<30)))
	case b >= 1<<20:
		return fmt.Sprintf("%s MiB", sig3(b/(1<<20)))
	case b >= 1<<10:
		return fmt.Sprintf("%s KiB", sig3(b/(1<<10)))
	default:
		return fmt.Sprintf("%.0f B", b)
	}
}

// sig3 prints v with three significant digits (at least the integer part).
func sig3(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// thousands groups the digits of an integer string: 1000000 → 1,000,000.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
