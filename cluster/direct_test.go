package cluster_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/cluster"
	"github.com/lunatic-go/lunatic/vm"
)

// awaitDirect runs ping round trips from a to pong on b until one went over the direct
// path (the first messages to a node take NATS while the connection is dialled), within
// a bounded number of tries.
func awaitDirect(t *testing.T, a, b *member, pong uint64) {
	t.Helper()
	for range 200 {
		a.pass(t, "ping", b.node.ID(), pong, 5)
		if a.node.DirectStats().SentDirect > 0 {
			return
		}
	}
	t.Fatalf("no message took the direct path: %+v", a.node.DirectStats())
}

// TestDirectPath: messages, requests and spawns between two nodes go over their direct
// connection once it is up, in order, and the counters show it.
func TestDirectPath(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	if a.node.DirectAddr() == "" || b.node.DirectAddr() == "" {
		t.Fatalf("direct addresses %q, %q", a.node.DirectAddr(), b.node.DirectAddr())
	}
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	before, beforeB := a.node.DirectStats(), b.node.DirectStats()
	a.pass(t, "ping", b.node.ID(), pong.ID(), 100)
	a.pass(t, "ping_srss", b.node.ID(), pong.ID(), 100)
	recv := b.spawn(t, "seq_recv", 5000)
	a.pass(t, "seq_send", b.node.ID(), recv.ID(), 5000, 0)
	if err := wait(t, recv); err != nil {
		t.Fatalf("receiver: %v", err)
	}
	a.pass(t, "expect_spawn", b.node.ID(), moduleSelf, 0)
	after, afterB := a.node.DirectStats(), b.node.DirectStats()
	if got := after.SentDirect - before.SentDirect; got != 5200 || after.SentNATS != before.SentNATS {
		t.Errorf("a sent %d messages directly and %d through NATS, want 5200 and 0", got, after.SentNATS-before.SentNATS)
	}
	if got := afterB.ReceivedDirect - beforeB.ReceivedDirect; got != 5200 || afterB.ReceivedNATS != beforeB.ReceivedNATS {
		t.Errorf("b received %d messages directly and %d through NATS, want 5200 and 0", got, afterB.ReceivedNATS-beforeB.ReceivedNATS)
	}
	if after.SpawnsDirect != 1 || after.SpawnsNATS != 0 {
		t.Errorf("spawns: %d direct, %d through NATS; want 1 and 0", after.SpawnsDirect, after.SpawnsNATS)
	}
	if after.Dials != 1 || after.DialFailures != 0 || afterB.Accepted != 1 || afterB.Refused != 0 {
		t.Errorf("a: %+v\nb: %+v\nwant one dial from a, accepted by b", after, afterB)
	}
	// b's replies took its own connection to a.
	if afterB.SentDirect == 0 {
		t.Errorf("b sent no reply directly: %+v", afterB)
	}
}

// TestDirectSwitchKeepsOrder: a stream that starts on NATS and moves to the direct
// connection while it runs (behind the fence) arrives whole and in order.
func TestDirectSwitchKeepsOrder(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	const n = 30000
	recv := b.spawn(t, "seq_recv", n)
	a.pass(t, "seq_send", b.node.ID(), recv.ID(), n, 1000)
	if err := wait(t, recv); err != nil {
		t.Fatalf("receiver: %v", err)
	}
	s := a.node.DirectStats()
	if s.SentNATS == 0 || s.SentDirect == 0 || s.SentNATS+s.SentDirect != n {
		t.Fatalf("want the stream split between NATS and the direct path: %+v", s)
	}
	t.Logf("%d messages through NATS, then %d directly", s.SentNATS, s.SentDirect)
}

// TestDirectReaderNotHeldByABusyProcess: processes that a message over the direct path
// wakes and that then compute for ever (the connection's reader runs a woken process
// itself, and hands the reading over when it takes long) do not hold up the messages
// behind them on the connection, nor the node's Close.
func TestDirectReaderNotHeldByABusyProcess(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	before := b.node.DirectStats()
	for range 3 {
		spinner := b.spawn(t, "recv_spin")
		t.Cleanup(func() { spinner.Kill(vm.ErrKilled) })
		deadline := time.Now().Add(time.Minute)
		for spinner.State() != vm.StateWaiting {
			if time.Now().After(deadline) {
				t.Fatalf("the spinner is not waiting in receive within a minute: %v", spinner.State())
			}
			time.Sleep(time.Millisecond) // polling a state, not synchronising
		}
		a.pass(t, "reply", b.node.ID(), spinner.ID())
		a.pass(t, "ping", b.node.ID(), pong.ID(), 20)
	}
	if got := b.node.DirectStats().ReceivedDirect - before.ReceivedDirect; got != 3*21 {
		t.Fatalf("b received %d messages directly, want %d", got, 3*21)
	}
	// The spinners run on goroutines that were readers: closing the node does not wait
	// for them.
	closed := make(chan error, 1)
	go func() { closed <- b.node.Close() }()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("closing the node waits for the processes its connection readers ran")
	}
}

// TestDirectFallback: when a node's direct address cannot be reached, messages and spawns
// to it take NATS.
func TestDirectFallback(t *testing.T) {
	// Nothing listens on a port that was just free.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	_ = l.Close()
	ms := startCluster(t, 2, func(i int, o *cluster.Options) {
		if i == 1 {
			o.DirectAdvertise = dead
		}
	})
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	a.pass(t, "ping", b.node.ID(), pong.ID(), 20)
	// Wait for the dial to fail, then send again.
	deadline := time.Now().Add(20 * time.Second)
	for a.node.DirectStats().DialFailures == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the dial to %s never failed: %+v", dead, a.node.DirectStats())
		}
		a.pass(t, "ping", b.node.ID(), pong.ID(), 1)
	}
	a.pass(t, "ping", b.node.ID(), pong.ID(), 100)
	a.pass(t, "expect_spawn", b.node.ID(), moduleSelf, 0)
	s := a.node.DirectStats()
	if s.SentDirect != 0 || s.SentNATS < 120 || s.SpawnsNATS != 1 || s.SpawnsDirect != 0 {
		t.Fatalf("want every message and spawn through NATS: %+v", s)
	}
}

// TestDirectRefusesStrangers: a dialer that does not know the node's key (it did not read
// the membership bucket) is refused before anything it sends is read as a frame.
func TestDirectRefusesStrangers(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	recv := b.spawn(t, "seq_recv", 1)

	c, err := net.Dial("tcp", b.node.DirectAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	hello := make([]byte, 4+1+32)
	if _, err := io.ReadFull(c, hello); err != nil || !bytes.HasPrefix(hello, []byte("LNTD")) {
		t.Fatalf("hello %q: %v", hello, err)
	}
	// Claim to be node a with a made-up MAC, then send a message frame anyway.
	msg := make([]byte, 16+64)
	binary.BigEndian.PutUint64(msg, a.node.ID())
	binary.BigEndian.PutUint64(msg[8:], b.node.ID())
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Write([]byte{0, 0, 0, 9, 1, 0, 0, 0, 0, 0, 0, 0, 1})
	if n, err := io.ReadFull(c, make([]byte, 32)); err == nil {
		t.Fatalf("the node answered a wrong key with %d bytes", n)
	}
	s := b.node.DirectStats()
	if s.Refused != 1 || s.Accepted != 0 || s.ReceivedDirect != 0 {
		t.Fatalf("want one refused dialer and nothing received: %+v", s)
	}
	// A direct listener that is not a node's: the dialer gives up and uses NATS.
	select {
	case <-recv.Done():
		t.Fatalf("the receiver ended: %v", recv.Death())
	default:
	}
}

// TestDirectReconnect: when the direct connection breaks, messages take NATS, and a later
// dial brings them back to a new connection.
func TestDirectReconnect(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	if !a.node.BreakDirect(b.node.ID()) {
		t.Fatal("no direct connection to break")
	}
	before := a.node.DirectStats()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for a.node.DirectStats().Dials < 2 || a.node.DirectStats().SentDirect == before.SentDirect {
		if ctx.Err() != nil {
			t.Fatalf("no second direct connection: %+v", a.node.DirectStats())
		}
		a.pass(t, "ping", b.node.ID(), pong.ID(), 1)
	}
	s := a.node.DirectStats()
	if s.SentNATS == before.SentNATS {
		t.Errorf("no message took NATS while the connection was down: %+v", s)
	}
	if got := b.node.DirectStats().Accepted; got != 2 {
		t.Errorf("b accepted %d connections, want 2", got)
	}
	a.pass(t, "ping", b.node.ID(), pong.ID(), 100)
}

// TestDirectBreakKeepsOrder: the direct connection breaks while a stream runs over it.
// The stream goes on through NATS (and over a new connection once one is dialled): what
// was in flight on the broken connection may be lost, but nothing arrives out of order,
// and the stream's last message arrives.
func TestDirectBreakKeepsOrder(t *testing.T) {
	ms := startCluster(t, 2, nil)
	a, b := ms[0], ms[1]
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	const n = 300000
	recv := b.spawn(t, "seq_recv_gaps", n)
	base := b.node.DirectStats().ReceivedDirect
	send := a.spawn(t, "seq_send", b.node.ID(), recv.ID(), n, 0)
	// Break the connection once part of the stream came through it. No event marks
	// that moment: poll the counter, within a bound.
	deadline := time.Now().Add(time.Minute)
	for b.node.DirectStats().ReceivedDirect < base+1000 {
		if time.Now().After(deadline) {
			t.Fatalf("the stream did not start: %+v", b.node.DirectStats())
		}
		time.Sleep(time.Millisecond)
	}
	if !a.node.BreakDirect(b.node.ID()) {
		t.Fatal("no direct connection to break")
	}
	if err := wait(t, send); err != nil {
		t.Fatalf("sender: %v", err)
	}
	if err := wait(t, recv); err != nil {
		t.Fatalf("receiver: %v", err)
	}
	s, sb := a.node.DirectStats(), b.node.DirectStats()
	t.Logf("a: %+v\nb: %+v", s, sb)
	if s.SentNATS == 0 && s.Dials < 2 {
		t.Fatalf("the stream never left the broken connection: %+v", s)
	}
}
