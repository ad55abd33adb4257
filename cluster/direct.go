package cluster

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// The direct path: process messages and spawns between two nodes over a TCP connection
// of their own instead of through NATS (see the package doc for why and for the security
// model). Each node listens on one address, published in its membership entry together
// with a random key. A node that sends to another dials it the first time, in the
// background, and proves in the handshake that it knows the key, which only a reader of
// the membership bucket (a NATS client with the cluster's credentials) can. Until the
// connection is up, and whenever it is down, messages take NATS.
//
// Order. A sender's messages to one node leave either through NATS or through the one
// connection, never both at once: the peer's mutex covers the choice and the hand-off.
// Switching from NATS to the connection, the sender publishes a fence on NATS behind its
// last NATS message and sends the fence's id as the first frame of the connection; the
// receiver reads nothing more from the connection until the fence came through NATS, so
// every earlier NATS message is delivered first (a fence that does not come within
// fenceTimeout gets the connection closed unread, and the sender back to NATS). Switching back (the connection broke),
// the next message goes through NATS; a NATS message from a node whose connection is
// still being read here closes that connection first, so nothing older that is still in
// flight on it can arrive after. What the broken connection still held is lost, as NATS
// may lose a message: delivery stays at most once, in order.

// Frame types of a direct connection. A frame is a 4-byte big-endian length of what
// follows, a type byte and its body.
const (
	frameFence      = 1 // dialer → acceptor, first frame: the fence id (8 bytes)
	frameMsg        = 2 // dialer → acceptor: a wireMessage
	frameSpawn      = 3 // dialer → acceptor: request id (8 bytes) + wireSpawn
	frameSpawnReply = 4 // acceptor → dialer: request id (8 bytes) + wireSpawnReply
	frameFenceSeen  = 5 // acceptor → dialer: the fence came through NATS (no body)
)

const (
	// directMagic opens a handshake; the byte after it is the direct protocol version.
	directMagic   = "LNTD"
	directVersion = 1
	// keySize is the size of a node's direct key and of the handshake nonces and MACs.
	keySize = 32
	// directChunk is the largest data part of one message frame; larger messages travel
	// as chunks, as over NATS.
	directChunk = 8 << 20
	// maxFrame bounds a frame a peer may announce.
	maxFrame = directChunk + 1<<16
	// handshakeTimeout bounds dialing and the handshake.
	handshakeTimeout = 5 * time.Second
	// writeTimeout bounds one write to a connection: a peer that reads nothing for
	// that long is treated as gone, and its messages take NATS.
	writeTimeout = 10 * time.Second
	// fenceTimeout bounds how long an accepted connection waits for its fence to come
	// through NATS; past it, the connection is closed unread (NATS is far behind or cut
	// off), and the dialer's messages take NATS until it dials again.
	fenceTimeout = 30 * time.Second
	// fenceRepeat is how often a dialer publishes its fence again until the acceptor
	// says it came through: NATS may lose one (a connection cut right after it).
	fenceRepeat = 500 * time.Millisecond
	// pendingLimit is how many bytes may wait for one connection before senders block.
	pendingLimit = 256 << 10
	// firstRetry and lastRetry bound the wait before dialing a node again after a
	// failed dial or a broken connection.
	firstRetry = time.Second
	lastRetry  = 30 * time.Second
)

// DirectStats counts what a node sent and received on each path.
type DirectStats struct {
	// SentDirect and SentNATS count remote data messages sent (a chunked message once).
	SentDirect, SentNATS uint64
	// ReceivedDirect and ReceivedNATS count remote data messages delivered here.
	ReceivedDirect, ReceivedNATS uint64
	// SpawnsDirect and SpawnsNATS count remote spawn requests sent.
	SpawnsDirect, SpawnsNATS uint64
	// Dials counts connections this node opened; DialFailures the attempts that failed
	// (unreachable address, refused handshake).
	Dials, DialFailures uint64
	// Accepted counts connections other nodes opened here; Refused those whose
	// handshake failed (wrong key, not a direct client).
	Accepted, Refused uint64
	// FramesSent, FramesReceived, BytesSent and BytesReceived count the frames of the
	// direct connections and their bytes (5-byte frame headers included).
	FramesSent, FramesReceived, BytesSent, BytesReceived uint64
	// ConnectionsOut are the connections this node opened that are up now; ConnectionsIn
	// the connections other nodes opened here that passed their handshake.
	ConnectionsOut, ConnectionsIn uint64
	// Fallbacks counts the times the messages to a node went back to NATS because its
	// connection broke.
	Fallbacks uint64
}

// directStats holds the counters of DirectStats.
type directStats struct {
	sentDirect, sentNATS, recvDirect, recvNATS, spawnsDirect, spawnsNATS atomic.Uint64
	dials, dialFailures, accepted, refused                               atomic.Uint64
	framesSent, framesRecv, bytesSent, bytesRecv, fallbacks              atomic.Uint64
	connsOut, connsIn                                                    atomic.Int64
}

// DirectStats returns the node's direct-path counters.
func (n *Node) DirectStats() DirectStats {
	s := &n.stats
	return DirectStats{
		SentDirect: s.sentDirect.Load(), SentNATS: s.sentNATS.Load(),
		ReceivedDirect: s.recvDirect.Load(), ReceivedNATS: s.recvNATS.Load(),
		SpawnsDirect: s.spawnsDirect.Load(), SpawnsNATS: s.spawnsNATS.Load(),
		Dials: s.dials.Load(), DialFailures: s.dialFailures.Load(),
		Accepted: s.accepted.Load(), Refused: s.refused.Load(),
		FramesSent: s.framesSent.Load(), FramesReceived: s.framesRecv.Load(),
		BytesSent: s.bytesSent.Load(), BytesReceived: s.bytesRecv.Load(),
		ConnectionsOut: uint64(max(s.connsOut.Load(), 0)), ConnectionsIn: uint64(max(s.connsIn.Load(), 0)),
		Fallbacks: s.fallbacks.Load(),
	}
}

// DirectAddr is the address other nodes dial for the direct path, or "" when the node
// has none.
func (n *Node) DirectAddr() string {
	if n.direct == nil {
		return ""
	}
	return n.direct.advertise
}

// direct is a node's side of the direct path: its listener, the connections other nodes
// opened to it, and the state of its own connection to each node it sends to.
type direct struct {
	n         *Node
	ln        net.Listener
	advertise string
	key       []byte
	tls       *tls.Config // nil: plain TCP

	mu      sync.Mutex
	inbound map[uint64]*inConn // the connection being read, per dialing node
	fences  map[uint64]uint64  // the last fence id that came through NATS, per node
	fenced  chan struct{}      // closed (and replaced) when fences changes
	all     map[net.Conn]bool  // every open connection, closed at shutdown
	closed  bool

	peers sync.Map // node id → *peer
	// unknown is held shared by each NATS send to a node that has no peer, and
	// exclusively to add a peer: a send that found no peer has left before the peer's
	// first fence can.
	unknown sync.RWMutex
}

// inConn is an accepted connection once it is read.
type inConn struct {
	c     net.Conn
	fence uint64
	done  chan struct{} // closed when its reader returned
}

// startDirect opens the listener and starts accepting.
func (n *Node) startDirect(listen, advertise string, tlsConf *tls.Config) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("direct path: listen on %s: %w", listen, err)
	}
	if advertise == "" {
		advertise = ln.Addr().String()
	} else if _, port, _ := net.SplitHostPort(advertise); port == "0" {
		host, _, _ := net.SplitHostPort(advertise)
		_, p, _ := net.SplitHostPort(ln.Addr().String())
		advertise = net.JoinHostPort(host, p)
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		_ = ln.Close()
		return fmt.Errorf("direct path key: %w", err)
	}
	d := &direct{
		n: n, ln: ln, advertise: advertise, key: key, tls: tlsConf,
		inbound: make(map[uint64]*inConn), fences: make(map[uint64]uint64),
		fenced: make(chan struct{}), all: make(map[net.Conn]bool),
	}
	n.direct = d
	n.wg.Add(1)
	go func() { defer n.wg.Done(); d.accept() }()
	return nil
}

// track registers an open connection (false: the node is closing; c was closed).
func (d *direct) track(c net.Conn) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		_ = c.Close()
		return false
	}
	d.all[c] = true
	return true
}

func (d *direct) untrack(c net.Conn) {
	d.mu.Lock()
	delete(d.all, c)
	d.mu.Unlock()
	_ = c.Close()
}

// close stops the listener and closes every connection; the goroutines end with them.
func (d *direct) close() {
	if d == nil {
		return
	}
	_ = d.ln.Close()
	d.mu.Lock()
	d.closed = true
	for c := range d.all {
		_ = c.Close()
	}
	close(d.fenced) // readers waiting for a fence see closed
	d.fenced = make(chan struct{})
	d.mu.Unlock()
}

func (d *direct) accept() {
	for {
		c, err := d.ln.Accept()
		if err != nil {
			return // closed
		}
		if !d.track(c) {
			return
		}
		d.n.wg.Add(1) // done by serve, or by the read turn that ends the connection
		go d.serve(c)
	}
}

// handshake messages (after the TLS handshake, when there is one):
//
//	acceptor → dialer: "LNTD", version, nonce A (32 bytes)
//	dialer → acceptor: dialer id, acceptor id (8 bytes each), nonce D (32 bytes),
//	                   HMAC-SHA256(acceptor's key, "dial" ‖ cluster ‖ A ‖ D ‖ ids)
//	acceptor → dialer: HMAC-SHA256(acceptor's key, "accept" ‖ cluster ‖ A ‖ D ‖ ids)
//
// The dialer proves it read the acceptor's key from the membership bucket; the acceptor
// proves it holds the key, so the dialer knows it reached the node it meant to (and not
// whatever took over the address after that node died). The key never crosses the wire.

func handshakeMAC(key []byte, label, cluster string, a, dn []byte, from, to uint64) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	m.Write([]byte(cluster))
	m.Write(a)
	m.Write(dn)
	var ids [16]byte
	binary.BigEndian.PutUint64(ids[:8], from)
	binary.BigEndian.PutUint64(ids[8:], to)
	m.Write(ids[:])
	return m.Sum(nil)
}

// errRefused is a handshake that failed its checks.
var errRefused = errors.New("direct handshake refused")

// acceptHandshake runs the acceptor's side and returns the dialer's node id.
func (d *direct) acceptHandshake(c net.Conn) (uint64, error) {
	_ = c.SetDeadline(time.Now().Add(handshakeTimeout))
	defer func() { _ = c.SetDeadline(time.Time{}) }()
	hello := make([]byte, len(directMagic)+1+keySize)
	copy(hello, directMagic)
	hello[len(directMagic)] = directVersion
	nonceA := hello[len(directMagic)+1:]
	if _, err := rand.Read(nonceA); err != nil {
		return 0, err
	}
	if _, err := c.Write(hello); err != nil {
		return 0, err
	}
	msg := make([]byte, 16+2*keySize)
	if _, err := io.ReadFull(c, msg); err != nil {
		return 0, err
	}
	from, to := binary.BigEndian.Uint64(msg), binary.BigEndian.Uint64(msg[8:])
	nonceD, mac := msg[16:16+keySize], msg[16+keySize:]
	cluster := d.n.opts.Cluster
	if to != d.n.id || from == 0 || !hmac.Equal(mac, handshakeMAC(d.key, "dial", cluster, nonceA, nonceD, from, to)) {
		return 0, errRefused
	}
	if _, err := c.Write(handshakeMAC(d.key, "accept", cluster, nonceA, nonceD, from, to)); err != nil {
		return 0, err
	}
	return from, nil
}

// dialHandshake runs the dialer's side against node to, whose key is key.
func (d *direct) dialHandshake(c net.Conn, to uint64, key []byte) error {
	_ = c.SetDeadline(time.Now().Add(handshakeTimeout))
	defer func() { _ = c.SetDeadline(time.Time{}) }()
	hello := make([]byte, len(directMagic)+1+keySize)
	if _, err := io.ReadFull(c, hello); err != nil {
		return err
	}
	if string(hello[:len(directMagic)]) != directMagic || hello[len(directMagic)] != directVersion {
		return fmt.Errorf("%w: not a lunatic direct listener of this version", errRefused)
	}
	nonceA := hello[len(directMagic)+1:]
	msg := make([]byte, 16+2*keySize)
	binary.BigEndian.PutUint64(msg, d.n.id)
	binary.BigEndian.PutUint64(msg[8:], to)
	nonceD := msg[16 : 16+keySize]
	if _, err := rand.Read(nonceD); err != nil {
		return err
	}
	cluster := d.n.opts.Cluster
	copy(msg[16+keySize:], handshakeMAC(key, "dial", cluster, nonceA, nonceD, d.n.id, to))
	if _, err := c.Write(msg); err != nil {
		return err
	}
	mac := make([]byte, keySize)
	if _, err := io.ReadFull(c, mac); err != nil {
		return fmt.Errorf("%w: %v", errRefused, err)
	}
	if !hmac.Equal(mac, handshakeMAC(key, "accept", cluster, nonceA, nonceD, d.n.id, to)) {
		return fmt.Errorf("%w: the listener does not hold node %d's key", errRefused, to)
	}
	return nil
}

// serve runs an accepted connection: handshake, fence, then frames until it ends (see
// inReader; the reading may move to another goroutine, which then closes the connection).
// It holds a count of the node's wait group, which passes to the goroutine that reads:
// one that runs a process for long is not waited for by Close.
func (d *direct) serve(raw net.Conn) {
	rd := d.setUp(raw)
	if rd == nil {
		d.untrack(raw)
		d.n.wg.Done()
		return
	}
	if rd.newTurn().loop() {
		d.n.wg.Done()
	}
}

// setUp runs the handshake and waits for the fence of an accepted connection; it returns
// the connection's reader, or nil when the connection is to be closed.
func (d *direct) setUp(raw net.Conn) *inReader {
	n := d.n
	c := raw
	if d.tls != nil {
		tc := tls.Server(raw, d.tls)
		_ = tc.SetDeadline(time.Now().Add(handshakeTimeout))
		if err := tc.Handshake(); err != nil {
			n.stats.refused.Add(1)
			n.log.Warn("direct connection refused: TLS handshake", "remote", raw.RemoteAddr(), "error", err)
			return nil
		}
		_ = tc.SetDeadline(time.Time{})
		c = tc
	}
	from, err := d.acceptHandshake(c)
	if err != nil {
		n.stats.refused.Add(1)
		n.log.Warn("direct connection refused", "remote", raw.RemoteAddr(), "error", err)
		return nil
	}
	n.stats.accepted.Add(1)
	n.stats.connsIn.Add(1)
	r := bufio.NewReaderSize(quiet(c), 64<<10)
	typ, body, err := readFrame(r, nil)
	n.stats.received(body, err)
	if err != nil || typ != frameFence || len(body) != 8 {
		n.stats.connsIn.Add(-1)
		n.log.Warn("direct connection without a fence", "node", from, "error", err)
		return nil
	}
	in := &inConn{c: raw, fence: binary.BigEndian.Uint64(body), done: make(chan struct{})}
	if !d.awaitFence(from, in.fence) {
		// Reading now could deliver messages before older ones still on their way
		// through NATS: refuse the connection; the dialer takes NATS and dials again.
		n.stats.connsIn.Add(-1)
		close(in.done)
		n.log.Warn("direct connection closed: its fence did not come through NATS", "node", from, "within", fenceTimeout)
		return nil
	}
	d.setInbound(from, in)
	rd := &inReader{d: d, raw: raw, r: r, from: from, in: in, w: newWriter(quiet(c), &n.wg, &n.stats)}
	if err := rd.w.send(frameFenceSeen, func(out []byte) []byte { return out }); err != nil {
		rd.finish()
		return nil
	}
	return rd
}

// inReader reads the frames of an accepted connection and delivers them. A message
// that wakes a suspended receive is run by the reader itself once nothing more is
// buffered (vm.Inline: no hand-off to a worker on another thread); should that process
// take long (it blocks, computes, or runs past the watchdog's look), the reading goes
// on in another goroutine (a turn of its own), and the first one leaves once the
// process suspends. One goroutine reads at a time: frames are delivered in order.
type inReader struct {
	d    *direct
	raw  net.Conn
	r    *bufio.Reader
	from uint64
	in   *inConn
	w    *writer
	buf  []byte
}

// readTurn is one goroutine's turn at reading an inReader's connection.
type readTurn struct {
	rd     *inReader
	inline *vm.Inline
	// state is turnReading, or turnRunning while the goroutine runs a process, or
	// turnHanded once handOver gave the reading to another turn.
	state atomic.Int32
}

const (
	turnReading = iota
	turnRunning
	turnHanded
)

// newTurn makes a turn at reading rd.
func (rd *inReader) newTurn() *readTurn {
	t := &readTurn{rd: rd}
	t.inline = rd.d.n.rt.NewInline(t.handOver)
	return t
}

// handOver is the vm.Inline's stuck function: the reading goes on in a new turn.
func (t *readTurn) handOver() {
	if !t.state.CompareAndSwap(turnRunning, turnHanded) {
		return // the run is over: the goroutine reads again itself
	}
	n := t.rd.d.n
	next := t.rd.newTurn()
	go func() {
		// The wait group's count of the reading passes to this goroutine.
		if next.loop() {
			n.wg.Done()
		}
	}()
}

// finish ends the connection once reading stopped.
func (rd *inReader) finish() {
	n := rd.d.n
	rd.w.fail(io.EOF)
	rd.d.clearInbound(rd.from, rd.in)
	close(rd.in.done)
	n.stats.connsIn.Add(-1)
	rd.d.untrack(rd.raw)
}

// loop reads and delivers frames until the connection ends (then it finishes it and
// reports true) or a run of a process on this goroutine handed the reading over (false).
func (t *readTurn) loop() bool {
	rd := t.rd
	n, from := rd.d.n, rd.from
	for {
		if t.inline.Pending() && !frameBuffered(rd.r) {
			// Run the receiver before a read that may wait for the network.
			t.state.Store(turnRunning)
			t.inline.Run()
			if !t.state.CompareAndSwap(turnRunning, turnReading) {
				return false // another turn reads now
			}
		}
		typ, body, err := readFrame(rd.r, rd.buf[:0])
		n.stats.received(body, err)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				n.log.Debug("direct connection ended", "node", from, "error", err)
			}
			rd.finish()
			return true
		}
		rd.buf = body
		switch typ {
		case frameMsg:
			var msg wireMessage
			if err := msg.decodeMsgpack(body); err != nil {
				n.log.Warn("malformed direct message; closing the connection", "node", from, "error", err)
				rd.finish()
				return true
			}
			msg.FromNode = from
			if msg.Chunk != 0 {
				// The reassembly may keep the bytes; the frame buffer is reused.
				msg.Data = append([]byte(nil), msg.Data...)
			}
			n.deliverVia(&msg, true, t.inline)
		case frameSpawn:
			if len(body) < 8 {
				rd.finish()
				return true
			}
			id := binary.BigEndian.Uint64(body)
			req := append([]byte(nil), body[8:]...)
			n.closeMu.RLock()
			if n.closing {
				n.closeMu.RUnlock()
				rd.finish()
				return true
			}
			n.wg.Add(1)
			n.closeMu.RUnlock()
			w := rd.w
			go func() {
				defer n.wg.Done()
				reply := n.serveSpawnBytes(req)
				var b [8]byte
				binary.BigEndian.PutUint64(b[:], id)
				_ = w.send(frameSpawnReply, func(out []byte) []byte { return append(append(out, b[:]...), reply...) })
			}()
		default:
			n.log.Warn("unknown direct frame; closing the connection", "node", from, "type", typ)
			rd.finish()
			return true
		}
	}
}

// awaitFence waits until fence from node came through NATS; false after fenceTimeout.
func (d *direct) awaitFence(node, fence uint64) bool {
	deadline := time.NewTimer(fenceTimeout)
	defer deadline.Stop()
	for {
		d.mu.Lock()
		seen, ch, closed := d.fences[node], d.fenced, d.closed
		d.mu.Unlock()
		if seen >= fence || closed {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// setInbound makes in the connection read from node, ending an older one first.
func (d *direct) setInbound(node uint64, in *inConn) {
	for {
		d.mu.Lock()
		old := d.inbound[node]
		if old == nil {
			d.inbound[node] = in
			d.mu.Unlock()
			return
		}
		d.mu.Unlock()
		_ = old.c.Close()
		<-old.done
	}
}

func (d *direct) clearInbound(node uint64, in *inConn) {
	d.mu.Lock()
	if d.inbound[node] == in {
		delete(d.inbound, node)
	}
	d.mu.Unlock()
}

// natsFrom is called for every message from node that arrives through NATS, before it
// is delivered: a connection from node still being read is closed, and its reader has
// returned, before anything sent after it is delivered. fence is the message's fence id
// (0 for a data message); a fence is recorded.
func (d *direct) natsFrom(node, fence uint64) {
	d.mu.Lock()
	in := d.inbound[node]
	d.mu.Unlock()
	if in != nil && (fence == 0 || in.fence != fence) {
		_ = in.c.Close()
		<-in.done
	}
	if fence == 0 {
		return
	}
	d.mu.Lock()
	if fence > d.fences[node] {
		d.fences[node] = fence
		close(d.fenced)
		d.fenced = make(chan struct{})
	}
	d.mu.Unlock()
}

// forget drops what is known about a node that left or expired.
func (d *direct) forget(node uint64) {
	if v, ok := d.peers.LoadAndDelete(node); ok {
		p := v.(*peer)
		p.mu.Lock()
		p.gone = true
		if p.conn != nil {
			p.conn.fail(errors.New("the node left"))
			p.conn = nil
		}
		p.mu.Unlock()
	}
	d.mu.Lock()
	in := d.inbound[node]
	delete(d.fences, node)
	d.mu.Unlock()
	if in != nil {
		_ = in.c.Close()
	}
}

// received counts a frame read (body and err as readFrame returned them).
func (s *directStats) received(body []byte, err error) {
	if err == nil {
		s.framesRecv.Add(1)
		s.bytesRecv.Add(uint64(5 + len(body)))
	}
}

// frameBuffered reports whether r holds a whole frame: reading it makes no system call.
func frameBuffered(r *bufio.Reader) bool {
	n := r.Buffered()
	if n < 5 {
		return false
	}
	h, _ := r.Peek(4)
	return uint64(n) >= 4+uint64(binary.BigEndian.Uint32(h))
}

// readFrame reads one frame into buf (grown as needed).
func readFrame(r *bufio.Reader, buf []byte) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	size := binary.BigEndian.Uint32(h[:4])
	if size == 0 || size > maxFrame {
		return 0, nil, fmt.Errorf("direct frame of %d bytes", size)
	}
	size-- // the type byte
	if uint32(cap(buf)) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(r, buf); err != nil {
		return 0, nil, err
	}
	return h[4], buf, nil
}

// writer sends frames on a connection. Senders append frames to a pending buffer under
// its mutex, so frames leave in append order. Who writes them depends on the traffic:
// the first frame after a pause (a request, a reply) is written by its sender at once,
// which costs no hand-off to another goroutine (a wake-up of another thread, when the
// Go scheduler moves it); frames that follow others closely (a stream) wake the
// connection's write goroutine, which writes everything pending in one system call
// while the senders go on, so a busy connection writes many frames per call. A sender
// waits for the network only when pendingLimit bytes are waiting.
type writer struct {
	c     net.Conn
	stats *directStats

	mu      sync.Mutex
	room    *sync.Cond // signalled when pending shrinks or the writer fails
	pending []byte
	spare   []byte
	busy    bool      // a write of pending is under way or the write goroutine was woken
	last    time.Time // when the last frame was appended
	// deadline is the write deadline last set on c, by whoever writes (busy makes that
	// one goroutine at a time).
	deadline time.Time
	err      error
	kick     chan struct{}
	stop     chan struct{} // closed by fail
}

// streamGap is how closely frames must follow each other for the write goroutine to
// batch them rather than their senders writing them one by one.
const streamGap = 20 * time.Microsecond

// newWriter makes a writer on c, counting in stats, and starts its write goroutine on wg.
func newWriter(c net.Conn, wg *sync.WaitGroup, stats *directStats) *writer {
	w := &writer{c: c, stats: stats, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	w.room = sync.NewCond(&w.mu)
	wg.Add(1)
	go func() { defer wg.Done(); w.run() }()
	return w
}

// errBroken is a send on a connection that failed earlier.
var errBroken = errors.New("direct connection broken")

// enqueue appends a frame built by body, or returns the connection's error. When it
// reports true, the caller must call writeOut (after releasing its own locks).
func (w *writer) enqueue(typ byte, body func([]byte) []byte) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.err == nil && len(w.pending) > pendingLimit {
		w.room.Wait()
	}
	if w.err != nil {
		return false, w.err
	}
	start := len(w.pending)
	w.pending = append(w.pending, 0, 0, 0, 0, typ)
	w.pending = body(w.pending)
	binary.BigEndian.PutUint32(w.pending[start:], uint32(len(w.pending)-start-4))
	w.stats.framesSent.Add(1)
	w.stats.bytesSent.Add(uint64(len(w.pending) - start))
	now := time.Now()
	streaming := now.Sub(w.last) < streamGap
	w.last = now
	if w.busy {
		return false, nil
	}
	w.busy = true
	if !streaming {
		return true, nil
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
	return false, nil
}

// send enqueues a frame and writes it when enqueue says so.
func (w *writer) send(typ byte, body func([]byte) []byte) error {
	write, err := w.enqueue(typ, body)
	if write {
		w.writeOut()
	}
	return err
}

// run writes what is pending each time it is woken, until the writer fails.
func (w *writer) run() {
	for {
		select {
		case <-w.kick:
		case <-w.stop:
			return
		}
		w.writeOut()
	}
}

// writeOut writes what is pending until nothing is, then clears busy.
func (w *writer) writeOut() {
	w.mu.Lock()
	for len(w.pending) > 0 && w.err == nil {
		b := w.pending
		w.pending = w.spare[:0]
		w.mu.Unlock()
		w.extendDeadline()
		_, err := w.c.Write(b)
		w.mu.Lock()
		if cap(b) <= 1<<20 {
			w.spare = b[:0]
		} else {
			w.spare = nil
		}
		if err != nil && w.err == nil {
			w.err = fmt.Errorf("%w: %v", errBroken, err)
			_ = w.c.Close() // the readers of both ends notice
		}
		w.room.Broadcast()
	}
	w.busy = false
	w.mu.Unlock()
}

// deadlineSlack is how much of writeTimeout a write may find already spent: the write
// deadline is moved only when less than writeTimeout-deadlineSlack is left, so a
// connection busy with small frames sets it about once every deadlineSlack instead of
// once a write. Each setting modifies a runtime timer, and one earlier than what the
// network poller sleeps for wakes the poller's thread (an eventfd write and an extra
// epoll wake-up a write, on the round trip's path; see the package doc).
const deadlineSlack = writeTimeout / 10

// extendDeadline makes sure the write about to start has at least
// writeTimeout-deadlineSlack before its deadline. The caller is the one writing.
func (w *writer) extendDeadline() {
	now := time.Now()
	if w.deadline.Sub(now) >= writeTimeout-deadlineSlack {
		return
	}
	w.deadline = now.Add(writeTimeout)
	_ = w.c.SetWriteDeadline(w.deadline)
}

// fail marks the writer broken, wakes blocked senders and ends the write goroutine.
func (w *writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = fmt.Errorf("%w: %v", errBroken, err)
	}
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	w.room.Broadcast()
}

// peer is this node's sending side towards one other node.
type peer struct {
	id uint64

	// mu covers the choice of path and the hand-off between paths: a message is queued
	// on the connection or published on NATS under it.
	mu      sync.Mutex
	conn    *outConn // nil: NATS
	gone    bool     // forgotten: look the node up again
	dialing bool
	retryAt time.Time
	backoff time.Duration
}

// outConn is a connection this node opened to another.
type outConn struct {
	*writer
	raw net.Conn // the connection written to (TLS over tcp, or tcp itself)
	tcp net.Conn // the TCP connection under it, as tracked (see direct.track)

	mu      sync.Mutex
	nextReq uint64
	waiting map[uint64]chan []byte // spawn replies awaited, by request id
	done    chan struct{}          // closed when the connection's reader returned
	seen    chan struct{}          // closed when the acceptor saw the fence
}

func (o *outConn) fail(err error) {
	o.writer.fail(err)
	_ = o.raw.Close()
}

// peer returns the sending state towards node, or nil when node is not a member known
// here (its messages take NATS; no state is kept for ids a guest made up).
func (d *direct) peer(node uint64) *peer {
	if v, ok := d.peers.Load(node); ok {
		return v.(*peer)
	}
	if _, ok := d.n.members.info(node); !ok {
		return nil
	}
	d.unknown.Lock()
	v, _ := d.peers.LoadOrStore(node, &peer{id: node})
	d.unknown.Unlock()
	return v.(*peer)
}

// sendUnknown publishes w through NATS to a node that has no peer here, unless a peer
// appeared meanwhile: then it returns false and sends nothing.
func (d *direct) sendUnknown(node uint64, w *wireMessage) bool {
	d.unknown.RLock()
	defer d.unknown.RUnlock()
	if _, ok := d.peers.Load(node); ok {
		return false
	}
	d.n.sendNATS(node, w)
	return true
}

// route returns the connection to node, or nil when messages take NATS; it starts a dial
// when the node has an address and none is under way. The caller holds p.mu.
func (d *direct) route(p *peer) *outConn {
	if p.conn != nil || p.dialing {
		return p.conn
	}
	if !p.retryAt.IsZero() && time.Now().Before(p.retryAt) {
		return nil
	}
	info, ok := d.n.members.info(p.id)
	if !ok || info.Direct == "" || len(info.Key) != keySize {
		return nil
	}
	d.n.closeMu.RLock()
	defer d.n.closeMu.RUnlock()
	if d.n.closing {
		return nil
	}
	p.dialing = true
	d.n.wg.Add(1)
	go func() { defer d.n.wg.Done(); d.dial(p, info.Direct, info.Key) }()
	return nil
}

// dial connects to a node and, once the handshake passed, switches its messages to the
// connection behind a fence.
func (d *direct) dial(p *peer, addr string, key []byte) {
	n := d.n
	n.stats.dials.Add(1)
	c, tcp, err := d.connect(p.id, addr, key)
	if err != nil {
		n.stats.dialFailures.Add(1)
		n.log.Debug("direct path unavailable; using NATS", "node", p.id, "addr", addr, "error", err)
		p.mu.Lock()
		p.dialing = false
		p.backoff = min(max(2*p.backoff, firstRetry), lastRetry)
		p.retryAt = time.Now().Add(p.backoff)
		p.mu.Unlock()
		return
	}
	o := &outConn{writer: newWriter(quiet(c), &n.wg, &n.stats), raw: c, tcp: tcp, waiting: make(map[uint64]chan []byte),
		done: make(chan struct{}), seen: make(chan struct{})}
	n.stats.connsOut.Add(1)
	n.wg.Add(1)
	go func() { defer n.wg.Done(); d.readReplies(p, o, c) }()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dialing = false
	if cur, ok := d.peers.Load(p.id); !ok || cur != p {
		o.fail(errors.New("the node left"))
		return
	}
	fence := n.fenceID.Add(1)
	if !n.publish(n.msgSubject(p.id), &wireMessage{FromNode: n.id, Fence: fence}) {
		o.fail(errors.New("fence not published"))
		p.retryAt = time.Now().Add(firstRetry)
		return
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], fence)
	write, err := o.enqueue(frameFence, func(out []byte) []byte { return append(out, b[:]...) })
	if err != nil {
		return
	}
	p.conn, p.backoff, p.retryAt = o, 0, time.Time{}
	n.log.Debug("direct path up", "node", p.id, "addr", addr)
	n.wg.Add(1)
	go func() { defer n.wg.Done(); d.repeatFence(p, o, fence) }()
	if write {
		// Frames queued behind the fence by senders meanwhile go out with it.
		p.mu.Unlock()
		o.writeOut()
		p.mu.Lock()
	}
}

// repeatFence publishes the fence of o again every fenceRepeat until the acceptor says it
// came through or the connection ends: a fence lost by NATS would otherwise hold the
// connection's messages until fenceTimeout and lose them. A copy cannot overtake
// anything: once the connection is up, nothing else goes to that node through NATS
// (until it breaks, which ends this).
func (d *direct) repeatFence(p *peer, o *outConn, fence uint64) {
	t := time.NewTicker(fenceRepeat)
	defer t.Stop()
	for {
		select {
		case <-o.seen:
			return
		case <-o.done:
			return
		case <-t.C:
		}
		p.mu.Lock()
		if p.conn == o {
			d.n.publish(d.n.msgSubject(p.id), &wireMessage{FromNode: d.n.id, Fence: fence})
		}
		p.mu.Unlock()
	}
}

// connect dials addr and runs the TLS and lunatic handshakes. It returns the connection
// to use and the TCP connection under it, which it tracked.
func (d *direct) connect(node uint64, addr string, key []byte) (net.Conn, net.Conn, error) {
	raw, err := net.DialTimeout("tcp", addr, handshakeTimeout)
	if err != nil {
		return nil, nil, err
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	c := raw
	if d.tls != nil {
		tc := tls.Client(raw, d.tls)
		_ = tc.SetDeadline(time.Now().Add(handshakeTimeout))
		if err := tc.Handshake(); err != nil {
			_ = raw.Close()
			return nil, nil, fmt.Errorf("TLS handshake: %w", err)
		}
		_ = tc.SetDeadline(time.Time{})
		c = tc
	}
	if err := d.dialHandshake(c, node, key); err != nil {
		_ = raw.Close()
		return nil, nil, err
	}
	if !d.track(raw) {
		return nil, nil, net.ErrClosed
	}
	return c, raw, nil
}

// readReplies reads what the other node sends back on a connection this node opened
// (spawn replies) until it ends, then takes the node's messages back to NATS.
func (d *direct) readReplies(p *peer, o *outConn, c net.Conn) {
	r := bufio.NewReaderSize(c, 4<<10)
	var err error
	for {
		var typ byte
		var body []byte
		typ, body, err = readFrame(r, nil)
		d.n.stats.received(body, err)
		if err != nil {
			break
		}
		if typ == frameFenceSeen {
			select {
			case <-o.seen:
			default:
				close(o.seen)
			}
			continue
		}
		if typ != frameSpawnReply || len(body) < 8 {
			err = fmt.Errorf("unexpected direct frame type %d", typ)
			break
		}
		id := binary.BigEndian.Uint64(body)
		o.mu.Lock()
		ch := o.waiting[id]
		delete(o.waiting, id)
		o.mu.Unlock()
		if ch != nil {
			ch <- body[8:]
		}
	}
	o.fail(err)
	// What connect tracked: under TLS, o.raw is the TLS connection over it (untracking
	// o.raw left one entry per closed TLS connection in d.all until shutdown).
	d.untrack(o.tcp)
	d.n.stats.connsOut.Add(-1) // before done: BreakDirect's callers read it
	o.mu.Lock()
	for id, ch := range o.waiting {
		close(ch)
		delete(o.waiting, id)
	}
	close(o.done)
	o.mu.Unlock()
	p.mu.Lock()
	if p.conn == o {
		p.conn = nil
		d.n.stats.fallbacks.Add(1)
		p.backoff = firstRetry
		p.retryAt = time.Now().Add(p.backoff)
		d.n.log.Debug("direct path down; using NATS", "node", p.id, "error", err)
	}
	p.mu.Unlock()
}

// errNotSent is a spawn request that never left: the connection was broken already.
var errNotSent = errors.New("direct connection broken before the request left")

// spawn sends a spawn request on the connection and waits for its reply. errNotSent: the
// request never left; errBroken: the connection broke after it left (the spawn may or may
// not have happened).
func (o *outConn) spawn(ctx context.Context, req []byte) ([]byte, error) {
	ch := make(chan []byte, 1)
	o.mu.Lock()
	select {
	case <-o.done:
		o.mu.Unlock()
		return nil, errNotSent
	default:
	}
	o.nextReq++
	id := o.nextReq
	o.waiting[id] = ch
	o.mu.Unlock()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], id)
	if err := o.send(frameSpawn, func(out []byte) []byte { return append(append(out, b[:]...), req...) }); err != nil {
		o.mu.Lock()
		delete(o.waiting, id)
		o.mu.Unlock()
		return nil, errNotSent
	}
	select {
	case reply, ok := <-ch:
		if !ok {
			return nil, errBroken
		}
		return reply, nil
	case <-ctx.Done():
		o.mu.Lock()
		delete(o.waiting, id)
		o.mu.Unlock()
		return nil, ctx.Err()
	}
}

// deliver hands a remote message (whole or a chunk) to its environment.
func (n *Node) deliver(w *wireMessage, viaDirect bool) { n.deliverVia(w, viaDirect, nil) }

// deliverVia is deliver whose wake-up of a receive, with inline set, is run by inline's
// next Run.
func (n *Node) deliverVia(w *wireMessage, viaDirect bool, inline *vm.Inline) {
	data := w.Data
	if w.Chunk != 0 {
		var ok bool
		data, ok = n.inbox.add(w, time.Now())
		if !ok {
			if w.Offset != 0 && !w.More {
				n.log.Warn("remote message with a lost chunk dropped", "node", w.FromNode, "process", w.To)
			}
			return
		}
	}
	if viaDirect {
		n.stats.recvDirect.Add(1)
	} else {
		n.stats.recvNATS.Add(1)
	}
	env := n.lookupEnvironment(w.Env)
	if env == nil {
		return
	}
	msg := vm.NewDataMessage(w.Tag, 0)
	if viaDirect && w.Chunk == 0 {
		// The frame buffer is reused for the next frame: copy, into the message's
		// pooled buffer when it has room (chunks were copied already).
		msg.Data = append(msg.Data[:0], data...)
	} else {
		msg.Data = data
	}
	if inline != nil {
		inline.Send(env, w.To, msg)
		return
	}
	env.Send(w.To, msg)
}

// resolveDirect finds the address other nodes should dial and the TLS configuration of
// the direct path; listen is "" when the node gets no direct path.
func (n *Node) resolveDirect() (listen, advertise string, conf *tls.Config, err error) {
	o := n.opts
	if o.Direct == DirectOff {
		return "", "", nil, nil
	}
	conf, err = directTLS(o.Auth)
	if err != nil {
		return "", "", nil, err
	}
	if conf == nil {
		if _, terr := n.nc.TLSConnectionState(); terr == nil {
			// NATS is encrypted and there is no certificate to encrypt the direct path
			// with: a plain connection would expose what NATS protects.
			n.log.Info("no direct path: NATS uses TLS and the node has no TLS certificate (--nats-tls-cert) for it")
			return "", "", nil, nil
		}
	}
	listen = o.Direct
	if listen == "" {
		host, ok := n.localHost()
		if !ok {
			return "", "", nil, nil
		}
		listen = net.JoinHostPort(host, "0")
	}
	return listen, o.DirectAdvertise, conf, nil
}

// localHost is the address of this machine that the other nodes most likely reach: the
// one its NATS traffic leaves from. false when the node is alone (an embedded server
// without a port).
func (n *Node) localHost() (string, bool) {
	if n.srv != nil {
		a := n.srv.srv.Addr()
		if a == nil {
			return "", false
		}
		host, _, _ := net.SplitHostPort(a.String())
		if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
			return host, true
		}
		return outboundIP("192.0.2.1:9"), true // any route out; no packet is sent
	}
	return outboundIP(n.nc.ConnectedAddr()), true
}

// outboundIP is the local address of the route to addr (a UDP "connection" sends
// nothing), or the loopback address when there is none.
func outboundIP(addr string) string {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return "127.0.0.1"
	}
	defer c.Close()
	host, _, err := net.SplitHostPort(c.LocalAddr().String())
	if err != nil {
		return "127.0.0.1"
	}
	return host
}
