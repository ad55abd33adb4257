package cluster_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/metricstest"
)

// serveMetrics exports m's node metrics on a test server and returns its /metrics URL.
func serveMetrics(t *testing.T, m *member) string {
	t.Helper()
	reg, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.node.ExportMetrics(reg)
	srv := httptest.NewServer(reg.Handler())
	t.Cleanup(srv.Close)
	return srv.URL + "/metrics"
}

// TestDirectPathMetrics: after a real exchange between two nodes (round trips, a spawn,
// a broken connection), the lunatic_remote_* and lunatic_direct_* series of both nodes
// say what went where, and one side's frames sent are the other's frames received.
func TestDirectPathMetrics(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	urlA, urlB := serveMetrics(t, a), serveMetrics(t, b)
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	a.pass(t, "ping", b.node.ID(), pong.ID(), 100)
	a.pass(t, "expect_spawn", b.node.ID(), moduleSelf, 0)

	// What each side sent arrives (the frames of the other connection direction, such as
	// the acceptor's "fence seen", may still be on their way) and b's own connection to a,
	// which its replies take, is up: wait until both agree.
	var fa, fb metricstest.Families
	deadline := time.Now().Add(20 * time.Second)
	for {
		fa, fb = metricstest.Scrape(t, urlA), metricstest.Scrape(t, urlB)
		if fa.Value(t, "lunatic_direct_connections_open", "direction", "inbound") == 1 && // b's replies
			fa.Value(t, "lunatic_direct_frames_sent_total") == fb.Value(t, "lunatic_direct_frames_received_total") &&
			fb.Value(t, "lunatic_direct_frames_sent_total") == fa.Value(t, "lunatic_direct_frames_received_total") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("frames: a sent %v, b received %v; b sent %v, a received %v",
				fa.Value(t, "lunatic_direct_frames_sent_total"), fb.Value(t, "lunatic_direct_frames_received_total"),
				fb.Value(t, "lunatic_direct_frames_sent_total"), fa.Value(t, "lunatic_direct_frames_received_total"))
		}
		time.Sleep(10 * time.Millisecond) // polling a counter of frames in flight
	}
	if lint, err := fa.Lint(); err != nil || len(lint) > 0 {
		t.Errorf("metric lint: %v %v", lint, err)
	}
	sa, sb := a.node.DirectStats(), b.node.DirectStats()
	check(t, "a", fa, []want{
		{"lunatic_remote_messages_sent_total", []string{"path", "direct"}, float64(sa.SentDirect)},
		{"lunatic_remote_messages_sent_total", []string{"path", "nats"}, float64(sa.SentNATS)},
		{"lunatic_remote_spawns_total", []string{"path", "direct"}, 1},
		{"lunatic_remote_spawns_total", []string{"path", "nats"}, 0},
		{"lunatic_direct_connections_open", []string{"direction", "outbound"}, 1},
		{"lunatic_direct_connections_open", []string{"direction", "inbound"}, 1}, // b's replies
		{"lunatic_direct_dials_total", nil, 1},
		{"lunatic_direct_dial_failures_total", nil, 0},
		{"lunatic_direct_fallbacks_total", nil, 0},
		{"lunatic_direct_sent_bytes_total", nil, fb.Value(t, "lunatic_direct_received_bytes_total")},
		{"lunatic_direct_received_bytes_total", nil, fb.Value(t, "lunatic_direct_sent_bytes_total")},
	})
	check(t, "b", fb, []want{
		{"lunatic_remote_messages_received_total", []string{"path", "direct"}, float64(sb.ReceivedDirect)},
		{"lunatic_remote_messages_sent_total", []string{"path", "direct"}, float64(sb.SentDirect)},
		{"lunatic_direct_accepted_total", nil, 1},
		{"lunatic_direct_refused_total", nil, 0},
		{"lunatic_direct_connections_open", []string{"direction", "inbound"}, 1},
	})
	if sa.SentDirect < 100 || sb.ReceivedDirect < 100 {
		t.Errorf("direct messages: a sent %d, b received %d; want at least the 100 pings", sa.SentDirect, sb.ReceivedDirect)
	}
	// A frame carries at least its 5-byte header and a message's msgpack fields.
	if sent, frames := fa.Value(t, "lunatic_direct_sent_bytes_total"), fa.Value(t, "lunatic_direct_frames_sent_total"); frames < 102 || sent < 10*frames {
		t.Errorf("a sent %v frames of %v bytes in all", frames, sent)
	}

	// A broken connection takes a's messages back to NATS until it dials again (held off
	// here: under -race the three pings could outlast the first retry's second).
	if !a.node.BreakDirectFor(b.node.ID(), time.Minute) {
		t.Fatal("no direct connection to break")
	}
	a.pass(t, "ping", b.node.ID(), pong.ID(), 3)
	fa = metricstest.Scrape(t, urlA)
	check(t, "a after the break", fa, []want{
		{"lunatic_direct_fallbacks_total", nil, 1},
		{"lunatic_direct_connections_open", []string{"direction", "outbound"}, 0},
	})
	if nats := fa.Value(t, "lunatic_remote_messages_sent_total", "path", "nats"); nats < float64(sa.SentNATS)+3 {
		t.Errorf("a sent %v messages through NATS after the break, had %d before; want 3 more", nats, sa.SentNATS)
	}
}

// TestNoClusterMetricsWithoutNode: a runtime that is not a cluster node exports no
// remote or direct series.
func TestNoClusterMetricsWithoutNode(t *testing.T) {
	reg, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	f := metricstest.Scrape(t, srv.URL+"/metrics")
	for _, name := range f.Names() {
		if len(name) > 15 && (name[:15] == "lunatic_remote_" || name[:15] == "lunatic_direct_") {
			t.Errorf("series %s without a node", name)
		}
	}
}

type want struct {
	name   string
	labels []string
	value  float64
}

func check(t *testing.T, who string, f metricstest.Families, wants []want) {
	t.Helper()
	for _, w := range wants {
		if got := f.Value(t, w.name, w.labels...); got != w.value {
			t.Errorf("%s: %s%v = %v, want %v", who, w.name, w.labels, got, w.value)
		}
	}
}
