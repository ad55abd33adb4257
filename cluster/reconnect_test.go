package cluster_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/cluster"
)

// cutProxy is a TCP proxy between a node and its NATS server that the test can cut (close
// every connection and refuse new ones) and restore.
type cutProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns []net.Conn
}

func newCutProxy(t testing.TB, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); p.setCut(true) })
	go p.serve()
	return p
}

func (p *cutProxy) url() string { return "nats://" + p.ln.Addr().String() }

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); _ = s.Close() }()
		go func() { _, _ = io.Copy(c, s); _ = c.Close() }()
	}
}

// setCut cuts (closing every open connection) or restores the proxy.
func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for _, c := range p.conns {
			_ = c.Close()
		}
		p.conns = nil
	}
}

// logWatch is a slog handler that signals the log messages a test waits for.
type logWatch struct {
	mu      sync.Mutex
	waiters map[string]chan struct{}
}

func newLogWatch(msgs ...string) *logWatch {
	w := &logWatch{waiters: map[string]chan struct{}{}}
	for _, m := range msgs {
		w.waiters[m] = make(chan struct{})
	}
	return w
}

func (w *logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (w *logWatch) WithAttrs([]slog.Attr) slog.Handler       { return w }
func (w *logWatch) WithGroup(string) slog.Handler            { return w }
func (w *logWatch) Handle(_ context.Context, r slog.Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for m, ch := range w.waiters {
		if strings.HasPrefix(r.Message, m) {
			select {
			case <-ch:
			default:
				close(ch)
			}
		}
	}
	return nil
}

// await waits for a log message starting with msg.
func (w *logWatch) await(t testing.TB, msg string, within time.Duration) {
	t.Helper()
	select {
	case <-w.waiters[msg]:
	case <-time.After(within):
		t.Fatalf("no %q in the node's log within %v", msg, within)
	}
}

// TestReconnectWithinTTL cuts a node off NATS for less than the membership TTL: it
// comes back with its node id, no other node ever drops it, and the process it runs
// keeps answering.
func TestReconnectWithinTTL(t *testing.T) {
	const ttl = 4 * time.Second
	watch := newLogWatch("disconnected from NATS", "reconnected to NATS")
	var proxy *cutProxy
	ms := startCluster(t, 2, func(i int, o *cluster.Options) {
		o.TTL = ttl
		if i == 1 {
			o.NATS = []string{proxy.url()}
			o.Logger = slog.New(watch)
		}
	}, func(hubURL string) {
		proxy = newCutProxy(t, strings.TrimPrefix(hubURL, "nats://"))
	})
	hub, b := ms[0], ms[1]
	b.load(t, guestID(t))
	id := b.node.ID()
	pong := b.spawn(t, "pong")
	hub.pass(t, "ping", id, pong.ID(), 20)

	// Watch the hub's table all along: b must never leave it.
	var dropped atomic.Bool
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			if !slices.Contains(hub.node.Nodes(), id) {
				dropped.Store(true)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	proxy.setCut(true)
	watch.await(t, "disconnected from NATS", 10*time.Second)
	// The outage itself: a quarter of the TTL without NATS.
	time.Sleep(ttl / 4)
	proxy.setCut(false)
	watch.await(t, "reconnected to NATS", 10*time.Second)

	hub.pass(t, "ping", id, pong.ID(), 20)
	b.pass(t, "ping", hub.node.ID(), hub.spawn(t, "pong").ID(), 20)
	// One more heartbeat period, to see that the beats went on after the outage.
	awaitBeat := time.After(ttl)
	<-awaitBeat
	close(stop)
	<-watched
	if dropped.Load() {
		t.Fatalf("the hub dropped node %d during an outage shorter than the TTL", id)
	}
	if b.node.ID() != id || !slices.Contains(hub.node.Nodes(), id) {
		t.Fatalf("node id %d (was %d); hub lists %v", b.node.ID(), id, hub.node.Nodes())
	}
	select {
	case <-pong.Done():
		t.Fatalf("the process on the cut node ended: %v", pong.Death())
	default:
	}
}
