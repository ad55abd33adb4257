package metrics

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// guestBuckets are the upper bounds of every guest histogram: 1, 2.5 and 5 per decade from
// 0.001 to 10000 (plus +Inf). One fixed layout keeps each histogram's size bounded
// whatever the guest observes; it fits durations in seconds or milliseconds and sizes.
var guestBuckets = []float64{
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
}

type guestType uint8

const (
	guestCounter guestType = iota + 1
	guestGauge
	guestHistogram
)

// guestSeries is one guest metric. Counters keep their value in bits as an integer,
// gauges as float64 bits; histograms use hist.
type guestSeries struct {
	typ  guestType
	desc *prometheus.Desc
	bits atomic.Uint64
	hist *guestHist
}

type guestHist struct {
	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative; the last one is +Inf
	count  uint64
	sum    float64
}

// dropReason says why a guest metric update was dropped: the label of
// lunatic_guest_metric_updates_dropped_total.
type dropReason int

// Drop reasons.
const (
	dropLimit       dropReason = iota // the series cap was reached
	dropConflict                      // the name is in use with another type
	dropInvalidName                   // empty, too long, or not UTF-8
	numDropReasons
)

func (r dropReason) String() string {
	return [...]string{"limit", "conflict", "invalid_name"}[r]
}

// guestStore holds the guest series. Lookups by the name exactly as the guest wrote it hit
// a bounded alias cache, so the common case is one read-locked map lookup without
// allocation.
type guestStore struct {
	max      int
	reserved map[string]bool // runtime series names, set once by New

	mu     sync.RWMutex
	series map[string]*guestSeries // sanitised name → series
	alias  map[string]*guestSeries // guest-written name → series (at most 4×max entries)

	dropped    [numDropReasons]prometheus.Counter
	droppedVec *prometheus.CounterVec
	inUse      prometheus.GaugeFunc
}

func newGuestStore(max int) *guestStore {
	g := &guestStore{max: max, series: make(map[string]*guestSeries), alias: make(map[string]*guestSeries)}
	dropped := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "guest_metric_updates_dropped_total",
		Help: "Guest metric updates (lunatic::metrics) dropped, by reason: limit (too many distinct names), conflict (name used with another type), invalid_name.",
	}, []string{"reason"})
	for r := range dropReason(numDropReasons) {
		g.dropped[r] = dropped.WithLabelValues(r.String())
	}
	g.inUse = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "guest_metric_series",
		Help: "Distinct guest metric names in use; new names beyond the cap are dropped.",
	}, func() float64 {
		g.mu.RLock()
		defer g.mu.RUnlock()
		return float64(len(g.series))
	})
	g.droppedVec = dropped
	return g
}

// collectors are what New registers for the guest metrics: the store itself and its
// accounting.
func (g *guestStore) collectors() []prometheus.Collector {
	return []prometheus.Collector{g, g.droppedVec, g.inUse}
}

// lookup returns the series for raw with type typ, creating it when there is room. It
// returns nil, after counting the drop, when the update must be dropped.
func (g *guestStore) lookup(raw []byte, typ guestType) *guestSeries {
	g.mu.RLock()
	s := g.alias[string(raw)]
	g.mu.RUnlock()
	if s == nil {
		name, ok := guestName(raw, g.reserved)
		if !ok {
			g.dropped[dropInvalidName].Inc()
			return nil
		}
		var reason dropReason
		if s, reason = g.create(string(raw), name, typ); s == nil {
			g.dropped[reason].Inc()
			return nil
		}
	}
	if s.typ != typ {
		g.dropped[dropConflict].Inc()
		return nil
	}
	return s
}

// create finds or makes the series called name and caches it under the guest's spelling.
func (g *guestStore) create(raw, name string, typ guestType) (*guestSeries, dropReason) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.series[name]
	if s == nil {
		if len(g.series) >= g.max {
			return nil, dropLimit
		}
		if g.clashes(name, typ) {
			return nil, dropConflict
		}
		s = newGuestSeries(name, typ)
		g.series[name] = s
	}
	if len(g.alias) < 4*g.max {
		g.alias[raw] = s
	}
	return s, 0
}

// clashes reports whether a new series name of type typ would collide with the extra
// series of a histogram (name_bucket, name_sum, name_count). Caller holds the lock.
func (g *guestStore) clashes(name string, typ guestType) bool {
	if typ == guestHistogram {
		for _, suf := range histogramSuffixes {
			if g.series[name+suf] != nil || g.reserved[name+suf] {
				return true
			}
		}
	}
	for _, suf := range histogramSuffixes {
		if base, ok := strings.CutSuffix(name, suf); ok {
			if s := g.series[base]; s != nil && s.typ == guestHistogram {
				return true
			}
		}
	}
	return false
}

func newGuestSeries(name string, typ guestType) *guestSeries {
	s := &guestSeries{
		typ:  typ,
		desc: prometheus.NewDesc(name, "Guest metric (lunatic::metrics).", nil, nil),
	}
	if typ == guestHistogram {
		s.hist = &guestHist{counts: make([]uint64, len(guestBuckets)+1)}
	}
	return s
}
