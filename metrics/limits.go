package metrics

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Limits are the runtime-wide limits and their use, read at scrape time.
type Limits struct {
	// MaxProcesses is the process cap (0 = none) and Processes the live processes.
	MaxProcesses, Processes uint64
	// MaxTotalMemory is the total memory budget in bytes (0 = none) and MemoryUsed the
	// bytes charged to it.
	MaxTotalMemory, MemoryUsed uint64
}

// limitsBox holds the function that reads the limits.
type limitsBox struct{ f func() Limits }

// SetLimits installs the function scrapes call to read the runtime-wide limits. Until it
// is called the limit gauges read zero.
func (m *Metrics) SetLimits(f func() Limits) {
	if m == nil {
		return
	}
	m.limits.Store(&limitsBox{f: f})
}

// limitsCollector exports Limits as gauges.
type limitsCollector struct {
	m                                *Metrics
	maxProcs, procs, maxMem, usedMem *prometheus.Desc
}

func newLimitsCollector(m *Metrics) *limitsCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", name), help, nil, nil)
	}
	return &limitsCollector{
		m:        m,
		maxProcs: desc("limit_processes", "The runtime's process cap (--max-processes); 0 means none."),
		procs:    desc("limit_processes_used", "Live processes counted against the process cap."),
		maxMem:   desc("limit_memory_bytes", "The runtime's total memory budget (--max-total-memory); 0 means none."),
		usedMem:  desc("limit_memory_used_bytes", "Bytes charged to the total memory budget: linear memories, tables, queued messages and a fixed overhead per process."),
	}
}

func (c *limitsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.maxProcs
	ch <- c.procs
	ch <- c.maxMem
	ch <- c.usedMem
}

func (c *limitsCollector) Collect(ch chan<- prometheus.Metric) {
	var l Limits
	if b := c.m.limits.Load(); b != nil {
		l = b.f()
	}
	for _, g := range []struct {
		d *prometheus.Desc
		v uint64
	}{{c.maxProcs, l.MaxProcesses}, {c.procs, l.Processes}, {c.maxMem, l.MaxTotalMemory}, {c.usedMem, l.MemoryUsed}} {
		ch <- prometheus.MustNewConstMetric(g.d, prometheus.GaugeValue, float64(g.v))
	}
}

// limitsPointer is embedded in Metrics.
type limitsPointer = atomic.Pointer[limitsBox]
