package metrics

import (
	"math"
	"sort"
)

// The Guest* methods apply one lunatic::metrics call. name is the metric name exactly as
// the guest wrote it (valid UTF-8, checked by the caller); it is not retained. Updates that
// cannot be applied (cap reached, type conflict, bad name) are dropped and counted.

// GuestCounterAdd adds v to the counter name (lunatic::metrics::counter adds, like the
// original runtime; increment_counter is GuestCounterAdd(name, 1)). The counter stops at
// 2^64-1 rather than wrap: a counter that went down would read as a reset.
func (m *Metrics) GuestCounterAdd(name []byte, v uint64) {
	if m == nil {
		return
	}
	s := m.guest.lookup(name, guestCounter)
	if s == nil {
		return
	}
	for {
		old := s.bits.Load()
		sum := old + v
		if sum < old {
			sum = math.MaxUint64
		}
		if sum == old || s.bits.CompareAndSwap(old, sum) {
			return
		}
	}
}

// GuestGaugeSet sets the gauge name to v.
func (m *Metrics) GuestGaugeSet(name []byte, v float64) {
	if m == nil {
		return
	}
	if s := m.guest.lookup(name, guestGauge); s != nil {
		s.bits.Store(math.Float64bits(v))
	}
}

// GuestGaugeAdd adds delta (which may be negative) to the gauge name.
func (m *Metrics) GuestGaugeAdd(name []byte, delta float64) {
	if m == nil {
		return
	}
	s := m.guest.lookup(name, guestGauge)
	if s == nil {
		return
	}
	for {
		old := s.bits.Load()
		if s.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+delta)) {
			return
		}
	}
}

// GuestHistogramObserve records one observation v in the histogram name. NaN is ignored.
func (m *Metrics) GuestHistogramObserve(name []byte, v float64) {
	if m == nil || math.IsNaN(v) {
		return
	}
	s := m.guest.lookup(name, guestHistogram)
	if s == nil {
		return
	}
	i := sort.SearchFloat64s(guestBuckets, v) // first bound >= v; len = +Inf
	h := s.hist
	h.mu.Lock()
	h.counts[i]++
	h.count++
	h.sum += v
	h.mu.Unlock()
}
