package cluster_test

import (
	"testing"
)

// benchCluster is a hub node (embedded NATS with a loopback port) and two nodes that
// join it over TCP, as three `lunatic node` processes on one machine would be. Both
// joined nodes have the guest; node 1 published it, node 2 fetched it.
func benchCluster(b *testing.B) (one, two *member) {
	ms := startCluster(b, 3, nil)
	ms[1].load(b, guestID(b))
	ms[2].load(b, guestID(b))
	return ms[1], ms[2]
}

// BenchmarkPingPong is one round trip of a 16-byte message between two processes:
// on one node (lunatic::message::send both ways), and between two nodes
// (lunatic::distributed::send both ways; with send_receive_skip_search for the request).
func BenchmarkPingPong(b *testing.B) {
	one, two := benchCluster(b)
	run := func(b *testing.B, entry string, from, to *member) {
		pong := to.spawn(b, "pong")
		b.ResetTimer()
		from.pass(b, entry, to.node.ID(), pong.ID(), uint64(b.N))
	}
	b.Run("same-node", func(b *testing.B) { run(b, "ping", one, one) })
	b.Run("cross-node", func(b *testing.B) { run(b, "ping", one, two) })
	b.Run("cross-node-request", func(b *testing.B) { run(b, "ping_srss", one, two) })
}

// BenchmarkSpawn is the latency of one spawn as the spawning process sees it (the call
// returns once the child runs): lunatic::process::spawn on the same node, and
// lunatic::distributed::spawn on the same node and on another node.
func BenchmarkSpawn(b *testing.B) {
	one, two := benchCluster(b)
	run := func(b *testing.B, target *member, local uint64) {
		b.ResetTimer()
		one.pass(b, "spawner", target.node.ID(), uint64(b.N), local)
	}
	b.Run("same-node", func(b *testing.B) { run(b, one, 1) })
	b.Run("same-node-distributed", func(b *testing.B) { run(b, one, 0) })
	b.Run("cross-node", func(b *testing.B) { run(b, two, 0) })
}
