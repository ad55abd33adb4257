package metrics_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
)

func TestGuestMetrics(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	// counter adds (the original runtime's semantics), increment_counter adds one.
	m.GuestCounterAdd([]byte("http.requests"), 5)
	m.GuestCounterAdd([]byte("http.requests"), 1)
	m.GuestCounterAdd([]byte("http_requests"), 1) // same sanitised name, same series
	m.GuestGaugeSet([]byte("temperature"), 21.5)
	m.GuestGaugeAdd([]byte("temperature"), 1)
	m.GuestGaugeAdd([]byte("temperature"), -0.5)
	for _, v := range []float64{0.0004, 0.3, 0.3, 7, 1e9, math.NaN()} {
		m.GuestHistogramObserve([]byte("latency"), v)
	}
	m.GuestCounterAdd([]byte("lunatic_processes_alive"), 4) // runtime namespace: renamed
	m.GuestGaugeSet([]byte("temperature"), 1)               // set after 22: now 1
	m.GuestCounterAdd([]byte("temperature"), 1)             // conflict: a gauge already
	m.GuestCounterAdd([]byte("latency_count"), 1)           // conflict: histogram series
	m.GuestHistogramObserve([]byte("http_requests"), 1)     // conflict: a counter already
	m.GuestCounterAdd([]byte(""), 1)                        // invalid name

	f := scrape(t, srv)
	check(t, f, []want{
		{"http_requests", nil, 7},
		{"temperature", nil, 1},
		{"guest_lunatic_processes_alive", nil, 4},
		{"lunatic_processes_alive", nil, 0},
		{"lunatic_guest_metric_series", nil, 4},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "conflict"}, 3},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "invalid_name"}, 1},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "limit"}, 0},
	})
	if typ := f.Type(t, "http_requests"); typ != "counter" {
		t.Errorf("http_requests is a %s", typ)
	}
	count, sum, buckets := f.Histogram(t, "latency")
	if count != 5 || sum != 0.0004+0.3+0.3+7+1e9 {
		t.Errorf("latency count %d sum %v", count, sum)
	}
	for le, n := range map[float64]uint64{0.001: 1, 0.25: 1, 0.5: 3, 5: 3, 10: 4, 10000: 4} {
		if buckets[le] != n {
			t.Errorf("latency bucket le=%v: %d, want %d", le, buckets[le], n)
		}
	}
	if len(buckets) != len(metrics.GuestBuckets)+1 || buckets[math.Inf(1)] != 5 {
		t.Errorf("buckets %v: want the %d fixed bounds and +Inf = 5", buckets, len(metrics.GuestBuckets))
	}
}

func TestGuestGaugeOrderAfterSet(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	m.GuestGaugeAdd([]byte("g"), 2.5) // a gauge starts at 0
	m.GuestGaugeAdd([]byte("g"), -1)
	check(t, scrape(t, srv), []want{{"g", nil, 1.5}})
}

// TestGuestSeriesCap creates 100,000 distinct names: only the cap's worth become series,
// every other update is counted as dropped, and the scrape stays small.
func TestGuestSeriesCap(t *testing.T) {
	const maxSeries = 500
	m, srv := newServer(t, metrics.Options{MaxGuestSeries: maxSeries})
	for i := range 100_000 {
		m.GuestCounterAdd(fmt.Appendf(nil, "series.%d", i), 1)
	}
	m.GuestCounterAdd([]byte("series.7"), 1) // an existing series still works
	f := scrape(t, srv)
	check(t, f, []want{
		{"lunatic_guest_metric_series", nil, maxSeries},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "limit"}, 100_000 - maxSeries},
		{"series_7", nil, 2},
	})
	guest := 0
	for _, n := range f.Names() {
		if len(n) > 7 && n[:7] == "series_" {
			guest++
		}
	}
	if guest != maxSeries {
		t.Errorf("%d guest families in the scrape, want %d", guest, maxSeries)
	}
}

func TestGuestDefaultCap(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	for i := range metrics.DefaultMaxGuestSeries + 10 {
		m.GuestGaugeSet(fmt.Appendf(nil, "g%d", i), 1)
	}
	check(t, scrape(t, srv), []want{
		{"lunatic_guest_metric_series", nil, metrics.DefaultMaxGuestSeries},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "limit"}, 10},
	})
}

// TestGuestConcurrent updates and scrapes from many goroutines (meaningful under -race)
// and checks that no update is lost.
func TestGuestConcurrent(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	const workers, n = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range n {
				m.GuestCounterAdd([]byte("c"), 1)
				m.GuestGaugeAdd([]byte("g"), 1)
				m.GuestHistogramObserve([]byte("h"), float64(i%3))
				m.GuestGaugeSet(fmt.Appendf(nil, "w%d", w), float64(i))
			}
		})
	}
	scrape(t, srv) // concurrently with the updates
	wg.Wait()
	f := scrape(t, srv)
	check(t, f, []want{{"c", nil, workers * n}, {"g", nil, workers * n}})
	if count, _, _ := f.Histogram(t, "h"); count != workers*n {
		t.Errorf("h count %d, want %d", count, workers*n)
	}
}

func TestSanitizeName(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"http.requests", "http_requests", true},
		{"a:b-c d", "a_b_c_d", true},
		{"9lives", "_9lives", true},
		{"héllo", "h_llo", true},
		{"ok_Name9", "ok_Name9", true},
		{"", "", false},
		{"\xff", "", false},
		{string(make([]byte, metrics.MaxGuestNameLen+1)), "", false},
	}
	for _, c := range cases {
		got, ok := metrics.SanitizeName([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("SanitizeName(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func BenchmarkGuestCounterAdd(b *testing.B) {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		b.Fatal(err)
	}
	name := []byte("http.requests")
	b.ReportAllocs()
	for b.Loop() {
		m.GuestCounterAdd(name, 1)
	}
}

func BenchmarkGuestHistogramObserve(b *testing.B) {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		b.Fatal(err)
	}
	name := []byte("latency")
	b.ReportAllocs()
	for b.Loop() {
		m.GuestHistogramObserve(name, 0.3)
	}
}

func BenchmarkProcessSpawnedFinished(b *testing.B) {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.ProcessSpawned()
		m.ProcessFinished(metrics.OutcomeNormal)
	}
}

// TestGuestCounterSaturates: a counter only goes up. Adding past 2^64-1 (counter takes any
// u64) stays at the maximum instead of wrapping to a small value, which every rate() would
// read as a reset.
func TestGuestCounterSaturates(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	m.GuestCounterAdd([]byte("big"), math.MaxUint64-1)
	m.GuestCounterAdd([]byte("big"), 5)
	m.GuestCounterAdd([]byte("big"), math.MaxUint64)
	m.GuestCounterAdd([]byte("small"), 3)
	m.GuestCounterAdd([]byte("small"), 4)
	check(t, scrape(t, srv), []want{
		{"big", nil, math.MaxUint64},
		{"small", nil, 7},
	})
}
