package cluster

import "github.com/lunatic-go/lunatic/metrics"

// ExportMetrics makes scrapes of m report the node's remote messaging: the
// lunatic_remote_* and lunatic_direct_* series (metrics.Cluster), read from the counters
// of DirectStats at scrape time. A nil m is fine.
func (n *Node) ExportMetrics(m *metrics.Metrics) {
	m.SetCluster(func() metrics.Cluster {
		s := n.DirectStats()
		return metrics.Cluster{
			MessagesSentDirect: s.SentDirect, MessagesSentNATS: s.SentNATS,
			MessagesReceivedDirect: s.ReceivedDirect, MessagesReceivedNATS: s.ReceivedNATS,
			SpawnsDirect: s.SpawnsDirect, SpawnsNATS: s.SpawnsNATS,
			FramesSent: s.FramesSent, FramesReceived: s.FramesReceived,
			BytesSent: s.BytesSent, BytesReceived: s.BytesReceived,
			ConnectionsOut: s.ConnectionsOut, ConnectionsIn: s.ConnectionsIn,
			Dials: s.Dials, DialFailures: s.DialFailures, Accepted: s.Accepted, Refused: s.Refused,
			Fallbacks: s.Fallbacks,
		}
	})
}
