package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Sample is the part of the runtime state that is read at scrape time rather than counted
// as it happens.
type Sample struct {
	// MailboxMessages is the number of messages queued in the mailboxes of live processes.
	MailboxMessages uint64
	// MailboxMax is the deepest single mailbox.
	MailboxMax uint64
	// MemoryBytes is the total linear memory of live processes.
	MemoryBytes uint64
}

// ProcessInfo is one row of the live process view.
type ProcessInfo struct {
	ID          uint64    `json:"id"`
	Environment uint64    `json:"environment"`
	Parent      uint64    `json:"parent"`
	Entry       string    `json:"entry"`
	State       string    `json:"state"` // running, waiting (in receive), sleeping
	MailboxLen  int       `json:"mailbox_len"`
	Links       []uint64  `json:"links"`
	Monitors    []uint64  `json:"monitors"`  // processes monitoring this one
	FuelUsed    uint64    `json:"fuel_used"` // exact wasm operators with max_fuel, else time slices × 100000 (Linux) or an estimate
	MemoryBytes uint64    `json:"memory_bytes"`
	Started     time.Time `json:"started"`
	AgeSeconds  float64   `json:"age_seconds"`
}

// Source is the runtime as the scrape and the process view see it. hostfuncs/metricsapi
// provides one.
type Source interface {
	// Sample reads the scrape-time gauges.
	Sample() Sample
	// Processes lists every live process, in any order.
	Processes() []ProcessInfo
	// Process returns the live process with the given id (the first match in environment
	// order when several environments use the id).
	Process(id uint64) (ProcessInfo, bool)
}

type sourceBox struct{ s Source }

// SetSource installs the runtime view used by scrapes and by the process view. Until it
// is called the scrape-time gauges read zero and the process view is empty.
func (m *Metrics) SetSource(s Source) {
	if m == nil {
		return
	}
	m.source.Store(&sourceBox{s: s})
}

func (m *Metrics) currentSource() Source {
	if b := m.source.Load(); b != nil {
		return b.s
	}
	return nil
}

// sampleCollector turns the Source's Sample into gauges at scrape time, so the cost of
// walking the processes is paid per scrape, never per event.
type sampleCollector struct {
	m                   *Metrics
	queued, max, memory *prometheus.Desc
}

func newSampleCollector(m *Metrics) *sampleCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", name), help, nil, nil)
	}
	return &sampleCollector{
		m:      m,
		queued: desc("mailbox_messages", "Messages queued in the mailboxes of live processes."),
		max:    desc("mailbox_messages_max", "Messages queued in the deepest mailbox of a live process."),
		memory: desc("process_memory_bytes", "Linear memory of live processes."),
	}
}

func (c *sampleCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.queued
	ch <- c.max
	ch <- c.memory
}

func (c *sampleCollector) Collect(ch chan<- prometheus.Metric) {
	var s Sample
	if src := c.m.currentSource(); src != nil {
		s = src.Sample()
	}
	ch <- prometheus.MustNewConstMetric(c.queued, prometheus.GaugeValue, float64(s.MailboxMessages))
	ch <- prometheus.MustNewConstMetric(c.max, prometheus.GaugeValue, float64(s.MailboxMax))
	ch <- prometheus.MustNewConstMetric(c.memory, prometheus.GaugeValue, float64(s.MemoryBytes))
}
