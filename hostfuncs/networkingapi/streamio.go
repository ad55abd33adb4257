package networkingapi

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/lunatic-go/lunatic/vm"
)

// read performs one read of up to len(b) bytes with the stream's read timeout. End of
// stream is (0, nil). A timeout returns an error for which isTimeout holds.
func (s *stream) read(p *vm.Process, b []byte) (int, error) {
	ms := s.timeouts[slotRead].Load()
	if err := s.handshake(p, ms); err != nil {
		return 0, err
	}
	s.rl.acquire(p)
	defer s.rl.release()
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	var err error
	if ms == 0 {
		// A zero timeout still lets a read succeed when data is already there (§0.6).
		s.setReadDeadline(noTimeout)
		n, err = s.readNow(b)
	} else {
		s.setReadDeadline(ms)
		if s.tls == nil {
			n, err = s.readWait(p, b)
		} else {
			w := begin(p, s, dirRead)
			n, err = s.tls.Read(b)
			w.end(p)
		}
	}
	if errors.Is(err, io.EOF) {
		return n, nil
	}
	return n, err
}

// readNow reads without waiting; the caller holds rl.
func (s *stream) readNow(b []byte) (int, error) {
	if s.tls == nil {
		return tryRead(s.tcp, b, false)
	}
	s.tlsRaw.readOnce.Store(true)
	defer s.tlsRaw.readOnce.Store(false)
	return s.tls.Read(b)
}

// peek reads without consuming: the data stays for the next read or peek, whether or not
// a peek timeout is set (docs/abi/networking.md, tcp_peek — the original consumed without one).
func (s *stream) peek(p *vm.Process, b []byte) (int, error) {
	s.rl.acquire(p)
	defer s.rl.release()
	if len(b) == 0 {
		return 0, nil
	}
	ms := s.timeouts[slotPeek].Load()
	if ms == 0 {
		s.setReadDeadline(noTimeout)
		return tryRead(s.tcp, b, true)
	}
	s.setReadDeadline(ms)
	w := begin(p, s, dirRead)
	n, err := peekWait(s.tcp, b)
	w.end(p)
	return n, err
}

// write performs one (vectored) write with the stream's write timeout. When some bytes
// went out before a timeout or an error, it reports the partial count as a success: the
// guest's write_all loop then sends the rest or meets the error on its next call.
func (s *stream) write(p *vm.Process, bufs [][]byte) (int, error) {
	ms := s.timeouts[slotWrite].Load()
	if err := s.handshake(p, ms); err != nil {
		return 0, err
	}
	s.wl.acquire(p)
	defer s.wl.release()
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	if total == 0 {
		return 0, nil
	}
	var n int
	var err error
	if ms == 0 {
		s.setWriteDeadline(noTimeout)
		n, err = s.writeNow(bufs, total)
	} else {
		s.setWriteDeadline(ms)
		if s.tls == nil {
			n, err = s.writeWait(p, bufs, total)
		} else {
			w := begin(p, s, dirWrite)
			n, err = s.writeAll(bufs, total)
			w.end(p)
		}
	}
	if n > 0 {
		return n, nil
	}
	return 0, err
}

func (s *stream) writeAll(bufs [][]byte, total int) (int, error) {
	switch {
	case s.tls != nil:
		return s.tls.Write(flatten(bufs, total))
	case len(bufs) == 1:
		return s.tcp.Write(bufs[0])
	}
	nb := net.Buffers(bufs)
	n, err := nb.WriteTo(s.tcp)
	return int(n), err
}

// writeNow writes what fits without waiting; the caller holds wl.
func (s *stream) writeNow(bufs [][]byte, total int) (int, error) {
	b := flatten(bufs, total)
	if s.tls == nil {
		return tryWrite(s.tcp, b)
	}
	s.tlsRaw.writeOnce.Store(true)
	defer s.tlsRaw.writeOnce.Store(false)
	return s.tls.Write(b)
}

func flatten(bufs [][]byte, total int) []byte {
	if len(bufs) == 1 {
		return bufs[0]
	}
	out := make([]byte, 0, total)
	for _, b := range bufs {
		out = append(out, b...)
	}
	return out
}

// handshake completes the TLS handshake of a server stream on its first read or write,
// holding both locks, within the timeout of that operation (a zero timeout does not apply
// to the handshake, which needs several round trips). A failed handshake is an error,
// never a timeout: crypto/tls keeps the failure, so the stream is unusable afterwards.
func (s *stream) handshake(p *vm.Process, ms uint64) error {
	if s.tls == nil || s.handshaken.Load() {
		return nil
	}
	s.rl.acquire(p)
	defer s.rl.release()
	s.wl.acquire(p)
	defer s.wl.release()
	if s.handshaken.Load() {
		return nil
	}
	if ms == 0 {
		ms = noTimeout
	}
	s.setReadDeadline(ms)
	s.setWriteDeadline(ms)
	w := begin(p, s, dirBoth)
	err := s.tls.Handshake()
	w.end(p)
	if err != nil {
		return fmt.Errorf("tls handshake with %s failed: %v", s.tcp.RemoteAddr(), err)
	}
	s.handshaken.Store(true)
	return nil
}
