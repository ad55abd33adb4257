package bench

import (
	"slices"
	"testing"
	"time"
)

// reportPair reports the medians of interleaved runs of ours (lunatic-ns) and of the
// baseline (wazero-ns), each divided by per (operations per run).
func reportPair(b *testing.B, ours, base []time.Duration, per int) {
	b.ReportMetric(median(ours)/float64(per), "lunatic-ns")
	b.ReportMetric(median(base)/float64(per), "wazero-ns")
}

// median of the durations in ns; 0 for none.
func median(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}
