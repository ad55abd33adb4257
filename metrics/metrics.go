package metrics

import (
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lunatic-go/lunatic/resource"
)

// Namespace prefixes every runtime metric. Guest metric names that would fall inside it
// are moved out of the way (see sanitizeName).
const Namespace = "lunatic"

// DefaultMaxGuestSeries is how many distinct guest metric names may exist when Options
// does not say otherwise.
const DefaultMaxGuestSeries = 1000

// Options configure New.
type Options struct {
	// MaxGuestSeries caps the distinct guest metric names; updates to names beyond the cap
	// are dropped and counted. 0 means DefaultMaxGuestSeries.
	MaxGuestSeries int
	// GoCollectors adds the Go runtime and process collectors (go_*, process_*) to the
	// registry: useful for a real server, noise in tests.
	GoCollectors bool
	// Logger receives scrape errors. nil discards them.
	Logger *slog.Logger
}

// Metrics is the set of runtime and guest collectors in their own registry. A nil
// *Metrics is valid and records nothing.
type Metrics struct {
	reg *prometheus.Registry

	spawned  prometheus.Counter
	finished [numOutcomes]prometheus.Counter
	alive    prometheus.Gauge

	sent, sentBytes, sentResources prometheus.Counter
	received, receivedBytes        prometheus.Counter
	notified                       [numNotifications]prometheus.Counter
	fuel                           prometheus.Counter

	sockets        [len(socketKinds)]prometheus.Gauge
	sqliteConns    prometheus.Gauge
	timersPending  prometheus.Gauge
	timersStarted  prometheus.Counter
	resourceOpened [resource.NumKinds]func()
	resourceClosed [resource.NumKinds]func()

	guest *guestStore

	source  atomic.Pointer[sourceBox]
	limits  limitsPointer
	cluster atomic.Pointer[clusterBox]
	log     *slog.Logger
}

// New builds the collectors and registers them in a new registry.
func New(o Options) (*Metrics, error) {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, log: o.Logger}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	cs := m.declare()
	if o.MaxGuestSeries <= 0 {
		o.MaxGuestSeries = DefaultMaxGuestSeries
	}
	m.guest = newGuestStore(o.MaxGuestSeries)
	cs = append(cs, m.guest.collectors()...)
	cs = append(cs, newSampleCollector(m), newLimitsCollector(m), newClusterCollector(&m.cluster))
	if o.GoCollectors {
		cs = append(cs, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	m.bindResources()
	reserved, err := seriesNames(reg)
	if err != nil {
		return nil, err
	}
	m.guest.reserved = reserved
	return m, nil
}

// declare creates every runtime collector. This is the one place their names live; the
// table in notes/metrics-table.md maps them to the original runtime's names.
func (m *Metrics) declare() []prometheus.Collector {
	m.spawned = counter("processes_spawned_total", "Processes spawned since startup.")
	finished := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "processes_finished_total",
		Help: "Processes that ended since startup, by outcome: normal, trap (including proc_exit with a non-zero code), killed (kill signal or a failed link), out_of_fuel.",
	}, []string{"outcome"})
	for o := range Outcome(numOutcomes) {
		m.finished[o] = finished.WithLabelValues(o.String())
	}
	m.alive = gauge("processes_alive", "Processes currently alive.")
	m.sent = counter("messages_sent_total", "Data messages delivered to a mailbox.")
	m.sentBytes = counter("message_sent_bytes_total", "Payload bytes of the data messages delivered to a mailbox.")
	m.sentResources = counter("message_sent_resources_total", "Resources (sockets, modules) carried by delivered data messages.")
	m.received = counter("messages_received_total", "Data messages taken from a mailbox by receive.")
	m.receivedBytes = counter("message_received_bytes_total", "Payload bytes of the data messages taken from a mailbox.")
	notified := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "notifications_total",
		Help: "Death notifications delivered as messages, by kind: link_died (a linked process failed) and process_died (a monitored process ended).",
	}, []string{"kind"})
	for n := range Notification(numNotifications) {
		m.notified[n] = notified.WithLabelValues(n.String())
	}
	m.fuel = counter("fuel_consumed_total", "Fuel charged to processes, counted at their fuel yields (every 100000 units) and at their end: for processes with max_fuel, the wasm operators they executed, as wasmtime counts them (one max_fuel unit is 100000); for the others, 100000 per time slice they computed through (Linux) or the estimate of the counting preemption instrumentation.")
	sockets := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "sockets_open",
		Help: "Sockets currently held by processes, by kind.",
	}, []string{"kind"})
	for i, k := range socketKinds {
		m.sockets[i] = sockets.WithLabelValues(k.String())
	}
	m.sqliteConns = gauge("sqlite_connections_open", "SQLite connections currently open.")
	m.timersPending = gauge("timers_pending", "Timers (send_after) waiting to fire.")
	m.timersStarted = counter("timers_started_total", "Timers (send_after) started since startup.")
	return []prometheus.Collector{
		m.spawned, finished, m.alive,
		m.sent, m.sentBytes, m.sentResources, m.received, m.receivedBytes, notified, m.fuel,
		sockets, m.sqliteConns, m.timersPending, m.timersStarted,
	}
}

func counter(name, help string) prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help})
}

func gauge(name, help string) prometheus.Gauge {
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help})
}

// seriesNames lists every series name the registry produces before any guest metric
// exists, including the _sum/_count/_bucket series of summaries and histograms: guest
// names must stay clear of them.
func seriesNames(g prometheus.Gatherer) (map[string]bool, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather runtime metrics: %w", err)
	}
	names := make(map[string]bool, len(mfs))
	for _, mf := range mfs {
		names[mf.GetName()] = true
		for _, suf := range histogramSuffixes {
			names[mf.GetName()+suf] = true
		}
	}
	return names, nil
}
