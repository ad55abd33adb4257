package networkingapi

import (
	"crypto/tls"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// noTimeout is the ABI's "no timeout" value (u64::MAX milliseconds).
const noTimeout = ^uint64(0)

// timeoutSlot names one of a stream's timeouts.
type timeoutSlot uint8

const (
	slotRead timeoutSlot = iota
	slotWrite
	slotPeek
)

// stream is one TCP connection, plain or TLS, shared by every handle to it in any process.
// Reads (and peeks) are serialised by rl, writes by wl, so one handle can read while
// another writes. Timeouts belong to the connection, not to a handle
// (docs/abi/networking.md, "Shared streams and sockets"): every clone sees the same values, and they survive moves.
type stream struct {
	tcp *net.TCPConn
	// raw is tcp's file descriptor, for the plain stream's reads and writes on Linux
	// (streamwait_linux.go); kept so that a call does not allocate it.
	raw      syscall.RawConn
	rop, wop *rawOp      // state of the raw read and write (Linux), under rl and wl
	rt       *vm.Runtime // for the resource observer
	// tls is nil for a plain TCP stream; tlsRaw is the socket below it.
	tls    *tls.Conn
	tlsRaw *sockConn
	// handshaken is set once the TLS handshake has completed (server streams shake hands
	// on their first read or write, client streams inside tls_connect).
	handshaken atomic.Bool

	rl, wl   lock
	timeouts [3]atomic.Uint64
	refs     atomic.Int64

	// rd and wd are the read and write deadlines last set on the socket (guarded by rl and
	// wl); rdirty/wdirty say a kill interrupt overwrote them.
	rd, wd         time.Time
	rdirty, wdirty atomic.Bool
}

var _ interruptible = (*stream)(nil)

// newStream returns a plain TCP stream opened by p.
func newStream(p *vm.Process, c *net.TCPConn) *stream {
	s := &stream{tcp: c, rt: p.Env().Runtime(), rl: newLock(), wl: newLock()}
	for i := range s.timeouts {
		s.timeouts[i].Store(noTimeout)
	}
	s.raw = rawConn(c)
	s.rop, s.wop = newRawOps(s)
	s.rt.ResourceOpened(resource.TCPStream)
	return s
}

// newTLSStream wraps an established TCP connection in TLS; the handshake is left to the
// caller (client) or to the first read or write (server).
func newTLSStream(p *vm.Process, c *net.TCPConn, wrap func(net.Conn) *tls.Conn) *stream {
	s := &stream{tcp: c, rt: p.Env().Runtime(), rl: newLock(), wl: newLock()}
	for i := range s.timeouts {
		s.timeouts[i].Store(noTimeout)
	}
	s.tlsRaw = &sockConn{TCPConn: c}
	s.tls = wrap(s.tlsRaw)
	s.rt.ResourceOpened(resource.TLSStream)
	return s
}

func (s *stream) kind() resource.Kind {
	if s.tls != nil {
		return resource.TLSStream
	}
	return resource.TCPStream
}

// conn is what data is read from and written to.
func (s *stream) conn() io.ReadWriter {
	if s.tls != nil {
		return s.tls
	}
	return s.tcp
}

func (s *stream) interrupt(d direction) {
	past := time.Unix(1, 0)
	if d&dirRead != 0 {
		s.rdirty.Store(true)
		_ = s.tcp.SetReadDeadline(past)
	}
	if d&dirWrite != 0 {
		s.wdirty.Store(true)
		_ = s.tcp.SetWriteDeadline(past)
	}
}

// setReadDeadline applies the deadline for a timeout of ms; the caller holds rl.
func (s *stream) setReadDeadline(ms uint64) {
	d := deadline(ms)
	if s.rdirty.Swap(false) || !d.Equal(s.rd) {
		_ = s.tcp.SetReadDeadline(d)
		s.rd = d
	}
}

// setWriteDeadline applies the deadline for a timeout of ms; the caller holds wl.
func (s *stream) setWriteDeadline(ms uint64) {
	d := deadline(ms)
	if s.wdirty.Swap(false) || !d.Equal(s.wd) {
		_ = s.tcp.SetWriteDeadline(d)
		s.wd = d
	}
}

// maxTimeout caps timeouts so that the deadline arithmetic cannot overflow; anything
// longer is treated as no timeout (it is longer than 290 years).
const maxTimeout = uint64(1<<63-1) / uint64(time.Millisecond)

// deadline turns a timeout in ms into a deadline; the zero time means none.
func deadline(ms uint64) time.Time {
	if ms == noTimeout || ms > maxTimeout {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(ms) * time.Millisecond)
}

// acquire adds a handle to s.
func (s *stream) acquire() *streamHandle {
	s.refs.Add(1)
	return &streamHandle{s: s}
}

// streamHandle is one resource-table entry for a stream. Closing the last handle closes
// the connection.
type streamHandle struct {
	s      *stream
	closed atomic.Bool
}

var _ io.Closer = (*streamHandle)(nil)

// Close drops this handle; the connection closes with the last one.
func (h *streamHandle) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	if h.s.refs.Add(-1) == 0 {
		return h.s.close()
	}
	return nil
}

// close closes the connection; a TLS stream that finished its handshake first sends a
// close_notify alert so that the peer sees a clean end of stream. The alert is only tried
// once: a peer that stopped reading cannot delay the close (or a process's death).
func (s *stream) close() error {
	s.rt.ResourceClosed(s.kind())
	if s.tls != nil && s.handshaken.Load() {
		s.tlsRaw.writeOnce.Store(true)
		return s.tls.Close()
	}
	return s.tcp.Close()
}

// rawConn returns c's raw connection; nil only for a connection that is not open, whose
// calls then fail as net.TCPConn's do.
func rawConn(c *net.TCPConn) syscall.RawConn {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}
