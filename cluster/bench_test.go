package cluster_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/cluster"
	"github.com/lunatic-go/lunatic/internal/natstest"
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

// natsPair is two nodes attached to different servers of a three-server NATS cluster
// (one published the guest, two fetched it) and a third node, near, attached to one's
// server; and two more nodes without a direct path (Options.Direct off), natsOne and
// natsTwo, on the servers of one and two, whose messages take NATS.
type natsPair struct {
	c                                *natstest.Cluster
	one, two, near, natsOne, natsTwo *member
}

func startNATSPair(b *testing.B) *natsPair {
	c := natstest.Start(b, 3)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var ms []*member
	urls := c.URLs()
	for i, url := range []string{urls[0], urls[1], urls[0], urls[0], urls[1]} {
		rt := newRuntime(b)
		o := cluster.Options{Cluster: "bench", Name: fmt.Sprintf("n%d", i), NATS: []string{url}, Replicas: 3}
		if i >= 3 {
			o.Direct = cluster.DirectOff
		}
		node, err := cluster.Start(ctx, rt, o)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = node.Close() })
		ms = append(ms, &member{rt: rt, node: node})
	}
	wasm, err := os.ReadFile(guest)
	if err != nil {
		b.Fatal(err)
	}
	if ms[0].mod, err = ms[0].rt.Compile(ctx, "dist.wasm", wasm); err != nil {
		b.Fatal(err)
	}
	if _, err := ms[0].node.PublishModule(ctx, wasm, ms[0].mod); err != nil {
		b.Fatal(err)
	}
	for _, m := range ms[1:] {
		m.load(b, guestID(b))
	}
	for _, m := range ms {
		awaitCount(b, m.node, len(ms))
	}
	return &natsPair{c: c, one: ms[0], two: ms[1], near: ms[2], natsOne: ms[3], natsTwo: ms[4]}
}

// warmDirect runs round trips from one to a pong8 on two until a message took the direct
// connection (the first messages to a node take NATS while it is dialled); nodes without
// a direct path just warm up. A pong8 serves one ping8: each try starts another.
func warmDirect(b *testing.B, one, two *member) {
	b.Helper()
	for range 1000 {
		one.pass(b, "ping8", two.node.ID(), two.spawn(b, "pong8").ID(), 10)
		if one.node.DirectAddr() == "" || two.node.DirectAddr() == "" || one.node.DirectStats().SentDirect > 0 {
			return
		}
	}
	b.Fatalf("no direct path from node %d to node %d", one.node.ID(), two.node.ID())
}

// BenchmarkRemote measures messaging between two nodes attached to different servers of
// a three-server NATS cluster on loopback, each next to what NATS itself does on the same
// servers with plain nats.go clients. The lunatic figures go over the nodes' direct
// connection; the lunatic-nats ones between nodes without a direct path, through NATS
// (a hop over a route between the servers):
//
//	pingpong    round trip of an 8-byte message (nats: request/reply of 8 bytes);
//	            -process: the pong on a `lunatic node` OS process of its own, as
//	            Erlang's peer node is; -one-server: both ends on the same server (no
//	            route hop); tcp: two goroutines echoing 8 bytes over a loopback TCP
//	            connection, the floor of the direct path; tcp-process: the echoing
//	            goroutine in an OS process of its own, the floor of -process
//	throughput  one-way 1 KiB messages per second (nats: publish to a subscriber)
//	spawn       remote spawn latency, the call returning once the child runs
//	            (nats: the request/reply it rides on is the pingpong/nats figure)
//
// bench/run.sh puts these rows beside two Erlang nodes on loopback.
func BenchmarkRemote(b *testing.B) {
	np := startNATSPair(b)
	urls := np.c.URLs()
	pingpong := func(b *testing.B, one, two *member) {
		warmDirect(b, one, two)
		pong := two.spawn(b, "pong8")
		b.ResetTimer()
		one.pass(b, "ping8", two.node.ID(), pong.ID(), uint64(b.N))
	}
	b.Run("pingpong/lunatic", func(b *testing.B) { pingpong(b, np.one, np.two) })
	b.Run("pingpong/lunatic-process", func(b *testing.B) {
		// The pong on a `lunatic node` process of its own, as the Erlang peer is.
		child, pid := startNodeProcess(b, urls[1])
		for range 3 {
			np.one.pass(b, "ping8_remote", child, 200)
		}
		before := np.one.node.DirectStats().SentDirect
		cpu := startCPU(pid)
		b.ResetTimer()
		np.one.pass(b, "ping8_remote", child, uint64(b.N))
		b.StopTimer()
		cpu.report(b)
		if sent := np.one.node.DirectStats().SentDirect - before; sent < uint64(b.N) {
			b.Fatalf("%d of %d pings took the direct path", sent, b.N)
		}
	})
	b.Run("pingpong/lunatic-nats", func(b *testing.B) { pingpong(b, np.natsOne, np.natsTwo) })
	b.Run("pingpong/lunatic-nats-one-server", func(b *testing.B) { pingpong(b, np.natsOne, np.near) })
	natsPingPong := func(b *testing.B, server, client *nats.Conn) {
		sub, err := server.Subscribe("bench.rr", func(m *nats.Msg) { _ = m.Respond(m.Data) })
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Unsubscribe()
		awaitInterest(b, client, "bench.rr")
		msg := make([]byte, 8)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := client.Request("bench.rr", msg, 10*time.Second); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("pingpong/tcp", func(b *testing.B) { tcpPingPong(b) })
	b.Run("pingpong/tcp-process", func(b *testing.B) { tcpProcessPingPong(b) })
	b.Run("pingpong/nats", func(b *testing.B) { natsPingPong(b, rawConn(b, urls[1]), rawConn(b, urls[0])) })
	b.Run("pingpong/nats-one-server", func(b *testing.B) { natsPingPong(b, rawConn(b, urls[0]), rawConn(b, urls[0])) })
	throughput := func(b *testing.B, one, two *member) {
		warmDirect(b, one, two)
		sink := two.spawn(b, "sink", uint64(b.N))
		b.ResetTimer()
		one.pass(b, "stream", two.node.ID(), sink.ID(), uint64(b.N), 1024)
		if err := wait(b, sink); err != nil {
			b.Fatalf("sink: %v", err)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	}
	b.Run("throughput/lunatic", func(b *testing.B) { throughput(b, np.one, np.two) })
	b.Run("throughput/lunatic-nats", func(b *testing.B) { throughput(b, np.natsOne, np.natsTwo) })
	b.Run("throughput/nats", func(b *testing.B) {
		server, client := rawConn(b, urls[1]), rawConn(b, urls[0])
		done := make(chan struct{})
		var count atomic.Int64
		sub, err := server.Subscribe("bench.tp", func(m *nats.Msg) {
			if m.Reply != "" {
				_ = m.Respond(nil) // awaitInterest's probe
				return
			}
			if count.Add(1) == int64(b.N) {
				close(done)
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Unsubscribe()
		if err := sub.SetPendingLimits(-1, -1); err != nil {
			b.Fatal(err)
		}
		awaitInterest(b, client, "bench.tp")
		msg := make([]byte, 1024)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := client.Publish("bench.tp", msg); err != nil {
				b.Fatal(err)
			}
		}
		// Core NATS delivers at most once: a publisher that outruns the route loses
		// messages (slow consumer on the server). This row is the baseline of what NATS
		// itself carries, so it reports what arrived, and how many were lost, once
		// nothing more arrives for a second.
		last, idle := int64(-1), time.NewTicker(time.Second)
		defer idle.Stop()
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-idle.C:
				n := count.Load()
				if n == last {
					break wait
				}
				last = n
			}
		}
		arrived := count.Load()
		b.ReportMetric(float64(arrived)/b.Elapsed().Seconds(), "msgs/s")
		b.ReportMetric(float64(int64(b.N)-arrived), "lost")
	})
	spawn := func(b *testing.B, one, two *member) {
		warmDirect(b, one, two)
		b.ResetTimer()
		one.pass(b, "spawner", two.node.ID(), uint64(b.N), 0)
	}
	b.Run("spawn/lunatic", func(b *testing.B) { spawn(b, np.one, np.two) })
	b.Run("spawn/lunatic-nats", func(b *testing.B) { spawn(b, np.natsOne, np.natsTwo) })
}

// startNodeProcess builds the lunatic command and starts `lunatic node --wait` joining
// the bench cluster at url, as an OS process of its own; it returns the node's id once
// every node of the cluster lists it, and its process id. The process is killed at the
// end of the benchmark.
func startNodeProcess(b *testing.B, url string) (uint64, int) {
	b.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "lunatic")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lunatic")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/lunatic: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "node", "--wait", "--nats", url, "--cluster", "bench", "--name", "child",
		"--cache-dir", filepath.Join(dir, "cache"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	serving := regexp.MustCompile(`node (\d+) \(child\) is serving`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := serving.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stderr) }()
			id, _ := strconv.ParseUint(m[1], 10, 64)
			return id, cmd.Process.Pid
		}
	}
	b.Fatalf("lunatic node ended before serving: %v", cmd.Wait())
	return 0, 0
}

// BenchmarkEchoTLS is what TLS 1.3 adds to a round trip of 8 bytes over a loopback TCP
// connection between two goroutines (tcp: plain, tls: both ends TLS with certificates
// such as nodes present on their direct connections): the record layer's cost at the
// size of a small message, the handshake excluded.
func BenchmarkEchoTLS(b *testing.B) {
	b.Run("tcp", func(b *testing.B) { tcpPingPong(b) })
	b.Run("tls", func(b *testing.B) {
		_, certFile, keyFile := testPKI(b, b.TempDir(), "echo")
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			b.Fatal(err)
		}
		conf := &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert},
			InsecureSkipVerify: true, ClientAuth: tls.RequireAnyClientCert} //nolint:gosec // a benchmark of the record layer
		ln, err := tls.Listen("tcp", "127.0.0.1:0", conf)
		if err != nil {
			b.Fatal(err)
		}
		echoPingPong(b, ln, func() (net.Conn, error) { return tls.Dial("tcp", ln.Addr().String(), conf) })
	})
}

// tcpPingPong is b.N round trips of 8 bytes between two goroutines over one loopback TCP
// connection: what any TCP transport between two nodes costs at least.
func tcpPingPong(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	echoPingPong(b, ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
}

// echoPingPong is b.N round trips of 8 bytes between a connection made by dial and a
// goroutine echoing what the one connection accepted on ln sends; it closes ln.
func echoPingPong(b *testing.B, ln net.Listener, dial func() (net.Conn, error)) {
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 8)
		for {
			if _, err := io.ReadFull(c, buf); err != nil {
				return
			}
			if _, err := c.Write(buf); err != nil {
				return
			}
		}
	}()
	c, err := dial()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 8)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// tcpProcessPingPong is tcpPingPong with the echo in an OS process of its own (this
// test binary started again as an echo server, TestMain): the floor of the round trip
// between two OS processes, each a Go program sleeping in the scheduler between messages.
func tcpProcessPingPong(b *testing.B) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), echoEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("echo process: %v", err)
	}
	c, err := net.Dial("tcp", addr[:len(addr)-1])
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 8)
	cpu := startCPU(cmd.Process.Pid)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.report(b)
}

// awaitInterest waits until a request on subject gets past the route to the subscriber
// on the other server (interest crosses routes asynchronously). The subscriber answers
// requests.
func awaitInterest(b *testing.B, nc *nats.Conn, subject string) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := nc.Request(subject, nil, 200*time.Millisecond); err == nil {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("no subscriber on %s behind the route", subject)
		}
	}
}
