package metricsapi_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/metrics"
)

// TestKnownWork runs "work" (guest.wat): 10 children of which 3 trap, 100 messages of 5
// bytes, 13 death notifications, and guest metrics; then checks every value exactly.
func TestKnownWork(t *testing.T) {
	f := newFixture(t, metrics.Options{})
	root := f.spawn(t, "work")
	f.awaitEnds(t, 11)
	if err := root.Death(); err != nil {
		t.Fatalf("work: %v", err)
	}
	fam := f.scrape(t)
	check(t, fam, []want{
		{"lunatic_processes_spawned_total", nil, 11},
		{"lunatic_processes_alive", nil, 0},
		{"lunatic_processes_finished_total", []string{"outcome", "normal"}, 8},
		{"lunatic_processes_finished_total", []string{"outcome", "trap"}, 3},
		{"lunatic_processes_finished_total", []string{"outcome", "killed"}, 0},
		{"lunatic_processes_finished_total", []string{"outcome", "out_of_fuel"}, 0},
		{"lunatic_messages_sent_total", nil, 100},
		{"lunatic_message_sent_bytes_total", nil, 500},
		{"lunatic_message_sent_resources_total", nil, 0},
		{"lunatic_notifications_total", []string{"kind", "link_died"}, 3},
		{"lunatic_notifications_total", []string{"kind", "process_died"}, 10},
		{"lunatic_mailbox_messages", nil, 0},
		{"lunatic_process_memory_bytes", nil, 0},
		{"requests", nil, 6},
		{"temp_celsius", nil, 22.25},
		{"lunatic_guest_metric_series", nil, 3},
	})
	if typ := fam.Type(t, "requests"); typ != "counter" {
		t.Errorf("requests is a %s, want a counter", typ)
	}
	count, sum, buckets := fam.Histogram(t, "latency")
	if count != 2 || math.Abs(sum-7.3) > 1e-9 || buckets[0.25] != 0 || buckets[0.5] != 1 || buckets[10] != 2 {
		t.Errorf("latency: count %d, sum %v, buckets %v", count, sum, buckets)
	}
}

// TestOutcomes: a child that runs out of fuel and a killed child are told apart, and the
// fuel counter matches what the processes were charged.
func TestOutcomes(t *testing.T) {
	f := newFixture(t, metrics.Options{})
	f.spawn(t, "outcomes")
	var fuel uint64
	for _, p := range f.awaitEnds(t, 3) {
		fuel += p.FuelUsed()
	}
	fam := f.scrape(t)
	check(t, fam, []want{
		{"lunatic_processes_finished_total", []string{"outcome", "normal"}, 1},
		{"lunatic_processes_finished_total", []string{"outcome", "killed"}, 1},
		{"lunatic_processes_finished_total", []string{"outcome", "out_of_fuel"}, 1},
		{"lunatic_processes_finished_total", []string{"outcome", "trap"}, 0},
		{"lunatic_notifications_total", []string{"kind", "process_died"}, 2},
		{"lunatic_fuel_consumed_total", nil, float64(fuel)},
	})
	if fuel < 100_000 {
		t.Errorf("the burner used %d fuel, want at least its budget of 100000", fuel)
	}
}

// TestGuestSeriesCap: a guest creating 100,000 distinct names stays within the cap; the
// excess updates are counted.
func TestGuestSeriesCap(t *testing.T) {
	f := newFixture(t, metrics.Options{})
	f.spawn(t, "many_names")
	if p := f.awaitEnds(t, 1)[0]; p.Death() != nil {
		t.Fatalf("many_names: %v", p.Death())
	}
	fam := f.scrape(t)
	check(t, fam, []want{
		{"lunatic_guest_metric_series", nil, metrics.DefaultMaxGuestSeries},
		{"lunatic_guest_metric_updates_dropped_total", []string{"reason", "limit"}, 100_000 - metrics.DefaultMaxGuestSeries},
		{"naaaa", nil, 1},
	})
	if n := len(fam.Names()); n > metrics.DefaultMaxGuestSeries+100 {
		t.Errorf("the scrape has %d families", n)
	}
}

// TestBadNames: names out of bounds or not UTF-8 trap, with metrics on and off.
func TestBadNames(t *testing.T) {
	cases := []struct{ entry, trap string }{
		{"name_not_utf8", "lunatic::metrics::increment_counter: metric name is not valid UTF-8"},
		{"name_out_of_bounds", "lunatic::metrics::gauge: pointer out of bounds"},
	}
	f := newFixture(t, metrics.Options{})
	plain := hostfuncstest.New(t)
	plainMod := hostfuncstest.Load(t, plain, guestWasm)
	for _, c := range cases {
		p := f.spawn(t, c.entry)
		f.awaitEnds(t, 1)
		if p.Death() == nil || !strings.Contains(p.Death().Error(), c.trap) {
			t.Errorf("%s with metrics: %v, want a trap %q", c.entry, p.Death(), c.trap)
		}
		res := hostfuncstest.Run(t, plain, plainMod, c.entry)
		if res.Death == nil || !strings.Contains(res.Death.Error(), c.trap) {
			t.Errorf("%s without metrics: %v, want a trap %q", c.entry, res.Death, c.trap)
		}
	}
	fam := f.scrape(t)
	check(t, fam, []want{{"lunatic_processes_finished_total", []string{"outcome", "trap"}, 2}})
}

// TestWithoutMetrics: a runtime whose host modules were instantiated without metrics runs
// the same guest; the calls only validate.
func TestWithoutMetrics(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, guestWasm)
	if res := hostfuncstest.Run(t, rt, mod, "work"); res.Death != nil {
		t.Fatalf("work: %v", res.Death)
	}
}
