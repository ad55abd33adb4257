package metrics_test

import (
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
)

// TestLimitGauges: the runtime-wide limits and their use are read at scrape time.
func TestLimitGauges(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	check(t, scrape(t, srv), []want{
		{"lunatic_limit_processes", nil, 0},
		{"lunatic_limit_memory_bytes", nil, 0},
	})
	m.SetLimits(func() metrics.Limits {
		return metrics.Limits{MaxProcesses: 200_000, Processes: 3, MaxTotalMemory: 8 << 30, MemoryUsed: 1 << 20}
	})
	check(t, scrape(t, srv), []want{
		{"lunatic_limit_processes", nil, 200_000},
		{"lunatic_limit_processes_used", nil, 3},
		{"lunatic_limit_memory_bytes", nil, 8 << 30},
		{"lunatic_limit_memory_used_bytes", nil, 1 << 20},
	})
}
