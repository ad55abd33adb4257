package metrics

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Cluster is what a cluster node (package cluster) counted of its remote messaging, read
// at scrape time. Counters grow from the node's start; the Connections fields are the
// connections open now.
type Cluster struct {
	// MessagesSentDirect and MessagesSentNATS count remote data messages sent to other
	// nodes (a chunked message once), by the path they took.
	MessagesSentDirect, MessagesSentNATS uint64
	// MessagesReceivedDirect and MessagesReceivedNATS count remote data messages
	// delivered here, by path.
	MessagesReceivedDirect, MessagesReceivedNATS uint64
	// SpawnsDirect and SpawnsNATS count spawn requests sent to other nodes, by path.
	SpawnsDirect, SpawnsNATS uint64
	// FramesSent, FramesReceived, BytesSent and BytesReceived count the frames of the
	// direct connections and their bytes (frame headers included, TLS records not).
	FramesSent, FramesReceived, BytesSent, BytesReceived uint64
	// ConnectionsOut are the direct connections this node opened that are up,
	// ConnectionsIn those other nodes opened here that passed their handshake.
	ConnectionsOut, ConnectionsIn uint64
	// Dials counts connections this node tried to open, DialFailures those that failed
	// (no answer, TLS or key handshake refused); Accepted counts connections other nodes
	// opened here, Refused those whose TLS or key handshake failed.
	Dials, DialFailures, Accepted, Refused uint64
	// Fallbacks counts the times the messages to a node went back to NATS because its
	// direct connection broke.
	Fallbacks uint64
}

// clusterBox holds the function that reads the cluster counters.
type clusterBox struct{ f func() Cluster }

// SetCluster installs the function scrapes call to read a cluster node's counters. Until
// it is called (a runtime that is not a cluster node) the lunatic_remote_* and
// lunatic_direct_* series are absent.
func (m *Metrics) SetCluster(f func() Cluster) {
	if m == nil {
		return
	}
	m.cluster.Store(&clusterBox{f: f})
}

// clusterCollector exports Cluster.
type clusterCollector struct {
	box                          *atomic.Pointer[clusterBox]
	sent, received, spawns       *prometheus.Desc
	framesSent, framesReceived   *prometheus.Desc
	bytesSent, bytesReceived     *prometheus.Desc
	open, dials, dialFailures    *prometheus.Desc
	accepted, refused, fallbacks *prometheus.Desc
}

func newClusterCollector(box *atomic.Pointer[clusterBox]) *clusterCollector {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", name), help, labels, nil)
	}
	return &clusterCollector{
		box:            box,
		sent:           desc("remote_messages_sent_total", "Data messages sent to processes on other nodes (a chunked message once), by path: direct (the nodes' own connection) or nats.", "path"),
		received:       desc("remote_messages_received_total", "Data messages from other nodes delivered here, by path: direct or nats.", "path"),
		spawns:         desc("remote_spawns_total", "Spawn requests sent to other nodes, by path: direct or nats.", "path"),
		framesSent:     desc("direct_frames_sent_total", "Frames sent on direct connections: messages and their chunks, spawn requests and replies, fences."),
		framesReceived: desc("direct_frames_received_total", "Frames received on direct connections."),
		bytesSent:      desc("direct_sent_bytes_total", "Bytes of the frames sent on direct connections, frame headers included (TLS records not)."),
		bytesReceived:  desc("direct_received_bytes_total", "Bytes of the frames received on direct connections, frame headers included (TLS records not)."),
		open:           desc("direct_connections_open", "Direct connections up, by direction: outbound (this node dialled) or inbound (another node dialled, handshake passed).", "direction"),
		dials:          desc("direct_dials_total", "Direct connections this node tried to open."),
		dialFailures:   desc("direct_dial_failures_total", "Direct connections this node failed to open: no answer, or the TLS or key handshake failed."),
		accepted:       desc("direct_accepted_total", "Direct connections other nodes opened here that passed the TLS and key handshakes."),
		refused:        desc("direct_refused_total", "Direct connections other nodes opened here whose TLS or key handshake failed."),
		fallbacks:      desc("direct_fallbacks_total", "Times the messages to a node went back to NATS because its direct connection broke."),
	}
}

func (c *clusterCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.sent, c.received, c.spawns, c.framesSent, c.framesReceived,
		c.bytesSent, c.bytesReceived, c.open, c.dials, c.dialFailures, c.accepted, c.refused, c.fallbacks} {
		ch <- d
	}
}

func (c *clusterCollector) Collect(ch chan<- prometheus.Metric) {
	b := c.box.Load()
	if b == nil {
		return
	}
	s := b.f()
	count := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	count(c.sent, s.MessagesSentDirect, "direct")
	count(c.sent, s.MessagesSentNATS, "nats")
	count(c.received, s.MessagesReceivedDirect, "direct")
	count(c.received, s.MessagesReceivedNATS, "nats")
	count(c.spawns, s.SpawnsDirect, "direct")
	count(c.spawns, s.SpawnsNATS, "nats")
	count(c.framesSent, s.FramesSent)
	count(c.framesReceived, s.FramesReceived)
	count(c.bytesSent, s.BytesSent)
	count(c.bytesReceived, s.BytesReceived)
	ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.ConnectionsOut), "outbound")
	ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.ConnectionsIn), "inbound")
	count(c.dials, s.Dials)
	count(c.dialFailures, s.DialFailures)
	count(c.accepted, s.Accepted)
	count(c.refused, s.Refused)
	count(c.fallbacks, s.Fallbacks)
}
