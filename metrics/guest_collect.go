package metrics

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
)

// Describe sends nothing: the guest series come and go, so the store is an unchecked
// collector.
func (g *guestStore) Describe(chan<- *prometheus.Desc) {}

// Collect sends the current value of every guest series.
func (g *guestStore) Collect(ch chan<- prometheus.Metric) {
	g.mu.RLock()
	all := make([]*guestSeries, 0, len(g.series))
	for _, s := range g.series {
		all = append(all, s)
	}
	g.mu.RUnlock()
	for _, s := range all {
		ch <- s.metric()
	}
}

func (s *guestSeries) metric() prometheus.Metric {
	switch s.typ {
	case guestCounter:
		return prometheus.MustNewConstMetric(s.desc, prometheus.CounterValue, float64(s.bits.Load()))
	case guestGauge:
		return prometheus.MustNewConstMetric(s.desc, prometheus.GaugeValue, math.Float64frombits(s.bits.Load()))
	}
	h := s.hist
	buckets := make(map[float64]uint64, len(guestBuckets))
	h.mu.Lock()
	var cum uint64
	for i, bound := range guestBuckets {
		cum += h.counts[i]
		buckets[bound] = cum
	}
	count, sum := h.count, h.sum
	h.mu.Unlock()
	return prometheus.MustNewConstHistogram(s.desc, count, sum, buckets)
}
