package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/lunatic-go/lunatic/cluster"
	"github.com/lunatic-go/lunatic/vm"
)

func guestID(t testing.TB) uint64 {
	t.Helper()
	wasm, err := os.ReadFile(guest)
	if err != nil {
		t.Fatal(err)
	}
	return cluster.ModuleID(wasm)
}

func TestMembership(t *testing.T) {
	ms := startCluster(t, 3, nil)
	var ids []uint64
	for _, m := range ms {
		if m.node.ID() == 0 {
			t.Fatal("node id 0")
		}
		ids = append(ids, m.node.ID())
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 3 {
		t.Fatalf("node ids %v: want three distinct ids in start order", ids)
	}
	for _, m := range ms {
		if got := m.node.Nodes(); !slices.Equal(got, ids) {
			t.Errorf("node %d lists %v, want %v", m.node.ID(), got, ids)
		}
	}
	id := guestID(t)
	for _, m := range ms[1:] {
		m.load(t, id)
	}
	for _, m := range ms {
		m.pass(t, "expect_nodes", 3)
	}
	lookups := []struct {
		q, code, count uint64
	}{
		{0, 0, 3}, // "" matches every node
		{1, 0, 2}, // role=worker
		{2, 0, 1}, // role=hub&name=a
		{3, 1, 0}, // "%zz" is not a query
	}
	for _, l := range lookups {
		p := ms[1].spawn(t, "expect_lookup", l.q, l.code, l.count)
		if err := wait(t, p); err != nil {
			t.Errorf("lookup %d: %v", l.q, err)
		}
	}
}

func TestLeaveAndExpiry(t *testing.T) {
	ms := startCluster(t, 3, nil)
	ms[2].node.Close()
	awaitCount(t, ms[0].node, 2)
	awaitCount(t, ms[1].node, 2)
	// A crashed node says no goodbye: its entry expires after the TTL (1 s here).
	start := time.Now()
	ms[1].node.Crash()
	awaitCount(t, ms[0].node, 1)
	t.Logf("crashed node dropped after %v", time.Since(start).Round(time.Millisecond))
	if got := ms[0].node.Nodes(); !slices.Equal(got, []uint64{ms[0].node.ID()}) {
		t.Fatalf("nodes %v after the others left", got)
	}
}

func TestRemoteMessages(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	bID := b.node.ID()
	a.pass(t, "ping", bID, pong.ID(), 100)
	a.pass(t, "ping_srss", bID, pong.ID(), 100)
	// The same entries on one node take the local path.
	localPong := a.spawn(t, "pong")
	a.pass(t, "ping", a.node.ID(), localPong.ID(), 10)
	// Node 0 (a handle made without a node id) means this node.
	a.pass(t, "ping", 0, localPong.ID(), 10)
	// 5,000 messages sent without waiting arrive in send order.
	recv := b.spawn(t, "seq_recv", 5000)
	a.pass(t, "seq_send", bID, recv.ID(), 5000, 0)
	if err := wait(t, recv); err != nil {
		t.Fatalf("receiver: %v", err)
	}
	// No reply: send_receive_skip_search times out with 9027.
	noop := b.spawn(t, "noop")
	a.pass(t, "srss_timeout", bID, noop.ID())
	// A send to a node that does not exist is dropped, like a send to a dead process.
	a.pass(t, "send_unknown", 999_999)
	// Resources cannot travel to another node: trap.
	err := wait(t, a.spawn(t, "send_resource", bID))
	if err == nil || !strings.Contains(err.Error(), "cannot send resources to remote nodes") {
		t.Fatalf("send_resource: %v", err)
	}
}

func TestRemoteSpawn(t *testing.T) {
	ms := startCluster(t, 3, nil)
	a := ms[0]
	for _, m := range ms {
		a.pass(t, "expect_spawn", m.node.ID(), moduleSelf, 0)
	}
	a.pass(t, "expect_spawn", 424242, moduleSelf, 1)     // no such node
	a.pass(t, "expect_spawn", ms[1].node.ID(), 12345, 2) // no such module
	a.pass(t, "expect_spawn", ms[1].node.ID(), 0, 2)     // a module compiled at run time
	a.pass(t, "config_travels", ms[2].node.ID())
	a.pass(t, "config_inherits", ms[2].node.ID())
	// Each node downloaded and compiled the module once.
	for _, m := range ms[1:] {
		if n := m.node.Downloads(); n != 1 {
			t.Errorf("node %d downloaded %d modules, want 1", m.node.ID(), n)
		}
	}
}

// moduleSelf makes expect_spawn use the caller's own module id.
const moduleSelf = ^uint64(1) // -2

func TestRemoteSpawnTimeout(t *testing.T) {
	ms := startCluster(t, 1, func(_ int, o *cluster.Options) { o.SpawnTimeout = 200 * time.Millisecond })
	a := ms[0]
	// A node that takes spawn requests and never answers them.
	nc := rawConn(t, a.node.ClientURL())
	const silent = 777
	sub, err := nc.SubscribeSync(a.node.Subject(silent, "spawn"))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	a.pass(t, "expect_spawn", silent, moduleSelf, 9027)
}

func TestRegistryAcrossNodes(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	a.pass(t, "expect_registered", 0, 0)
	a.pass(t, "register", a.node.ID(), 42)
	b.pass(t, "expect_registered", a.node.ID(), 42)
	b.pass(t, "unregister")
	a.pass(t, "expect_registered", 0, 0)
	// Environments are separate namespaces.
	ctx := context.Background()
	if err := a.node.RegistryPut(ctx, 2, "svc", vm.RegEntry{Node: 1, Process: 2}); err != nil {
		t.Fatal(err)
	}
	if _, found, err := b.node.RegistryGet(ctx, 1, "svc"); err != nil || found {
		t.Fatalf("env 1 sees env 2's name: found=%v err=%v", found, err)
	}
	if e, found, err := b.node.RegistryGet(ctx, 2, "svc"); err != nil || !found || e != (vm.RegEntry{Node: 1, Process: 2}) {
		t.Fatalf("env 2: %v %v %v", e, found, err)
	}
}

func TestFanOut(t *testing.T) {
	ms := startCluster(t, 3, nil)
	if err := wait(t, ms[0].spawn(t, "fanout", 1000)); err != nil {
		t.Fatal(err)
	}
}

func TestModuleNotFound(t *testing.T) {
	ms := startCluster(t, 1, nil)
	_, err := ms[0].node.Module(context.Background(), 99)
	if !errors.Is(err, vm.ErrModuleNotFound) {
		t.Fatalf("got %v, want ErrModuleNotFound", err)
	}
}

// TestLargeMessages: a message larger than the NATS server's max_payload travels in
// chunks and arrives whole, in order with the messages around it.
func TestLargeMessages(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(conf, []byte("max_payload: 200000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ms := startCluster(t, 2, func(i int, o *cluster.Options) {
		if i == 0 {
			o.ServerConfig = conf
		}
	})
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "big_pong")
	for _, size := range []uint64{16, 199_000, 450_000} {
		a.pass(t, "big_ping", b.node.ID(), pong.ID(), size)
	}
	// Order holds for a stream of small messages with chunked ones among them.
	const n = 2000
	recv := b.spawn(t, "seq_recv", n)
	a.pass(t, "seq_send", b.node.ID(), recv.ID(), n, 50)
	if err := wait(t, recv); err != nil {
		t.Fatalf("receiver: %v", err)
	}
}

// TestStartErrors: options that cannot work are refused before anything starts.
func TestStartErrors(t *testing.T) {
	cases := []struct {
		name string
		o    cluster.Options
		want string
	}{
		{"cluster name", cluster.Options{Cluster: "a.b"}, "cluster name"},
		{"replicas", cluster.Options{Replicas: 6}, "1 to 5 copies"},
		{"join and listen", cluster.Options{NATS: []string{"nats://127.0.0.1:1"}, Listen: "127.0.0.1:0"}, "either joins"},
		{"half a client certificate", cluster.Options{NATS: []string{"nats://127.0.0.1:1"}, Auth: cluster.Auth{TLSCert: "c.pem"}}, "both the certificate and the key"},
		{"listen address", cluster.Options{Listen: "nowhere"}, "want HOST:PORT"},
		{"no server", cluster.Options{NATS: []string{"nats://127.0.0.1:1"}}, "connect to NATS"},
		{"server config", cluster.Options{ServerConfig: "/nonexistent/nats.conf"}, "NATS server configuration"},
		{"direct listen address", cluster.Options{Listen: "127.0.0.1:0", Direct: "nowhere"}, "direct path: listen on nowhere"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRuntime(t)
			n, err := cluster.Start(context.Background(), rt, tc.o)
			if err == nil {
				n.Close()
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to mention %q", err, tc.want)
			}
			if rt.Node() != nil {
				t.Fatal("a failed start left the runtime a node")
			}
		})
	}
}

// TestClusterNames: two clusters on one NATS do not see each other.
func TestClusterNames(t *testing.T) {
	ms := startCluster(t, 1, nil)
	rt := newRuntime(t)
	other, err := cluster.Start(context.Background(), rt, cluster.Options{Cluster: "other", NATS: []string{ms[0].node.ClientURL()}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if got := other.Nodes(); !slices.Equal(got, []uint64{other.ID()}) {
		t.Fatalf("cluster other lists %v", got)
	}
	if got := ms[0].node.Nodes(); len(got) != 1 {
		t.Fatalf("cluster lunatic lists %v", got)
	}
}

// TestMalformedRequests: garbage on a node's subjects is answered with a failure or
// dropped; the node keeps serving.
func TestMalformedRequests(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	nc := rawConn(t, a.node.ClientURL())
	reply, err := nc.Request(b.node.Subject(b.node.ID(), "spawn"), []byte{0xc1}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var fields []any
	if err := msgpack.Unmarshal(reply.Data, &fields); err != nil || len(fields) != 3 || fmt.Sprint(fields[0]) != "1" {
		t.Fatalf("reply %v (%v): want [1, 0, error]", fields, err)
	}
	if err := nc.Publish(b.node.Subject(b.node.ID(), "msg"), []byte("junk")); err != nil {
		t.Fatal(err)
	}
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	a.pass(t, "ping", b.node.ID(), pong.ID(), 3)
}
