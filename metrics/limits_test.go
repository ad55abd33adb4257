package metrics_test

import (
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
)

// TestLimitGauges: the runtime-wide limits and their use are read at scrape time.
func TestLimitGauges(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	check(t, scrape(t, srv), []want{
		{"lunatic_limit_processes", nil, 0},
		{"lunatic_limit_memory_bytes", nil, 0},
	})
	m.SetLimits(func() metrics.Limits {
		return metrics.Limits{MaxProcesses: 200_000, Processes: 3, MaxTotalMemory: 8 << 30, MemoryUsed: 1 << 20}
	})
	check(t, scrape(t, srv), []want{
		{"lunatic_limit_processes", nil, 200_000},
		{"lunatic_limit_processes_used", nil, 3},
		{"lunatic_limit_memory_bytes", nil, 8 << 30},
		{"lunatic_limit_memory_used_bytes", nil, 1 << 20},
	})
}

// TestClusterSeries: a cluster node's counters are read at scrape time, and absent
// until a node installs them.
func TestClusterSeries(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	if f := scrape(t, srv); f.Has("lunatic_remote_messages_sent_total") || f.Has("lunatic_direct_frames_sent_total") {
		t.Fatal("cluster series without a cluster node")
	}
	m.SetCluster(func() metrics.Cluster {
		return metrics.Cluster{
			MessagesSentDirect: 7, MessagesSentNATS: 2, MessagesReceivedDirect: 5, MessagesReceivedNATS: 1,
			SpawnsDirect: 3, SpawnsNATS: 4, FramesSent: 11, FramesReceived: 9, BytesSent: 300, BytesReceived: 200,
			ConnectionsOut: 2, ConnectionsIn: 1, Dials: 6, DialFailures: 4, Accepted: 8, Refused: 1, Fallbacks: 2,
		}
	})
	check(t, scrape(t, srv), []want{
		{"lunatic_remote_messages_sent_total", []string{"path", "direct"}, 7},
		{"lunatic_remote_messages_sent_total", []string{"path", "nats"}, 2},
		{"lunatic_remote_messages_received_total", []string{"path", "direct"}, 5},
		{"lunatic_remote_messages_received_total", []string{"path", "nats"}, 1},
		{"lunatic_remote_spawns_total", []string{"path", "direct"}, 3},
		{"lunatic_remote_spawns_total", []string{"path", "nats"}, 4},
		{"lunatic_direct_frames_sent_total", nil, 11},
		{"lunatic_direct_frames_received_total", nil, 9},
		{"lunatic_direct_sent_bytes_total", nil, 300},
		{"lunatic_direct_received_bytes_total", nil, 200},
		{"lunatic_direct_connections_open", []string{"direction", "outbound"}, 2},
		{"lunatic_direct_connections_open", []string{"direction", "inbound"}, 1},
		{"lunatic_direct_dials_total", nil, 6},
		{"lunatic_direct_dial_failures_total", nil, 4},
		{"lunatic_direct_accepted_total", nil, 8},
		{"lunatic_direct_refused_total", nil, 1},
		{"lunatic_direct_fallbacks_total", nil, 2},
	})
}
