package metrics_test

import (
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/resource"
)

func TestRuntimeEvents(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	for range 11 {
		m.ProcessSpawned()
	}
	for _, o := range []metrics.Outcome{metrics.OutcomeNormal, metrics.OutcomeNormal, metrics.OutcomeTrap,
		metrics.OutcomeKilled, metrics.OutcomeOutOfFuel, metrics.Outcome(99)} {
		m.ProcessFinished(o)
	}
	m.MessageSent(10, 0)
	m.MessageSent(5, 2)
	m.MessageReceived(10)
	m.Notified(metrics.NotifyLinkDied)
	m.Notified(metrics.NotifyProcessDied)
	m.Notified(metrics.NotifyProcessDied)
	m.Notified(metrics.Notification(7)) // ignored
	m.FuelConsumed(100_000)
	m.FuelConsumed(100_000)
	m.ResourceOpened(resource.TCPStream)
	m.ResourceOpened(resource.TCPStream)
	m.ResourceClosed(resource.TCPStream)
	m.ResourceOpened(resource.UDPSocket)
	m.ResourceOpened(resource.SQLiteConn)
	m.ResourceOpened(resource.Timer)
	m.ResourceOpened(resource.Timer)
	m.ResourceClosed(resource.Timer)
	m.ResourceOpened(resource.Kind(200)) // ignored

	check(t, scrape(t, srv), []want{
		{"lunatic_processes_spawned_total", nil, 11},
		{"lunatic_processes_alive", nil, 5},
		{"lunatic_processes_finished_total", []string{"outcome", "normal"}, 2},
		{"lunatic_processes_finished_total", []string{"outcome", "trap"}, 2},
		{"lunatic_processes_finished_total", []string{"outcome", "killed"}, 1},
		{"lunatic_processes_finished_total", []string{"outcome", "out_of_fuel"}, 1},
		{"lunatic_messages_sent_total", nil, 2},
		{"lunatic_message_sent_bytes_total", nil, 15},
		{"lunatic_message_sent_resources_total", nil, 2},
		{"lunatic_messages_received_total", nil, 1},
		{"lunatic_message_received_bytes_total", nil, 10},
		{"lunatic_notifications_total", []string{"kind", "link_died"}, 1},
		{"lunatic_notifications_total", []string{"kind", "process_died"}, 2},
		{"lunatic_fuel_consumed_total", nil, 200_000},
		{"lunatic_sockets_open", []string{"kind", "tcp_stream"}, 1},
		{"lunatic_sockets_open", []string{"kind", "udp_socket"}, 1},
		{"lunatic_sockets_open", []string{"kind", "tls_listener"}, 0},
		{"lunatic_sqlite_connections_open", nil, 1},
		{"lunatic_timers_pending", nil, 1},
		{"lunatic_timers_started_total", nil, 2},
	})
}

// TestNamingConventions lints every runtime series with promlint (the _total suffix on
// counters, base units, no reserved suffixes).
func TestNamingConventions(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	m.GuestCounterAdd([]byte("requests"), 1)
	problems, err := scrape(t, srv).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p, "lunatic_") {
			t.Errorf("promlint: %s", p)
		}
	}
}

// TestGoCollectors checks the optional go_* and process_* families, and that guest names
// equal to theirs are moved out of the way rather than breaking the scrape.
func TestGoCollectors(t *testing.T) {
	m, srv := newServer(t, metrics.Options{GoCollectors: true})
	m.GuestGaugeSet([]byte("go_goroutines"), 1e6)
	m.GuestCounterAdd([]byte("go_gc_duration_seconds_count"), 3)
	f := scrape(t, srv)
	if got := f.Value(t, "go_goroutines"); got >= 1e6 {
		t.Errorf("go_goroutines = %v: the guest overwrote the runtime's series", got)
	}
	check(t, f, []want{
		{"guest_go_goroutines", nil, 1e6},
		{"guest_go_gc_duration_seconds_count", nil, 3},
	})
}

func TestNilMetricsRecordsNothing(t *testing.T) {
	var m *metrics.Metrics
	m.ProcessSpawned()
	m.ProcessFinished(metrics.OutcomeTrap)
	m.MessageSent(1, 1)
	m.MessageReceived(1)
	m.Notified(metrics.NotifyLinkDied)
	m.FuelConsumed(1)
	m.ResourceOpened(resource.Timer)
	m.ResourceClosed(resource.Timer)
	m.GuestCounterAdd([]byte("x"), 1)
	m.GuestGaugeSet([]byte("x"), 1)
	m.GuestGaugeAdd([]byte("x"), 1)
	m.GuestHistogramObserve([]byte("x"), 1)
	m.SetSource(nil)
}
