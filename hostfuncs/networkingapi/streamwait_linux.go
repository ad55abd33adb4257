package networkingapi

import (
	"net"
	"os"
	"syscall"
	"unsafe"

	"github.com/lunatic-go/lunatic/vm"
)

// On Linux a plain TCP stream reads and writes through its raw socket: the system call
// is tried first, and only when it would block (EAGAIN) does the process arm its waker
// and report that it waits (vm.StateIO, which hands the worker's next process to another
// worker). A read or write that does not wait, the usual write, costs its system call
// and nothing around it. The wait itself is Go's poller, within the deadline set on the
// socket, as for net.TCPConn; errors are wrapped as net.TCPConn wraps them.

// rawOp is the state of the read or the write in progress on a stream, for the function
// the raw connection calls (built once per stream: a closure per call would allocate).
// The stream's rl or wl guards it.
type rawOp struct {
	s      *stream
	p      *vm.Process
	buf    []byte   // read
	bufs   [][]byte // write
	total  int      // write: bytes to write
	n      int      // bytes read or written
	serr   error    // the system call's error
	waiter *waker   // armed once the call would block
	dead   bool     // p was dead when the waker was armed
	step   func(fd uintptr) bool
}

// newRawOps returns the read and write state of s.
func newRawOps(s *stream) (r, w *rawOp) {
	r, w = &rawOp{s: s}, &rawOp{s: s}
	r.step, w.step = r.read, w.write
	return r, w
}

// block arms p's waker for a wait and reports the process blocked; false when p is
// already dead (the call must stop and unwind).
func (o *rawOp) block(d direction) bool {
	o.waiter = procState(o.p).waker(o.p)
	if !o.waiter.arm(o.s, d) {
		o.waiter, o.dead = nil, true
		return false
	}
	o.p.SetState(vm.StateIO)
	return true
}

func (o *rawOp) read(fd uintptr) bool {
	for {
		o.n, o.serr = syscall.Read(int(fd), o.buf)
		if o.serr != syscall.EINTR {
			break
		}
	}
	if o.serr == syscall.EAGAIN {
		// Wait for data, unless p is dead (then unwind).
		return o.waiter == nil && !o.block(dirRead)
	}
	return true
}

func (o *rawOp) write(fd uintptr) bool {
	for o.n < o.total {
		m, err := writeFrom(int(fd), o.bufs, o.n)
		switch err {
		case nil:
			o.n += m
			continue
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			if o.waiter == nil && !o.block(dirWrite) {
				return true
			}
			return false
		}
		o.serr = err
		return true
	}
	return true
}

// finish ends the operation: it disarms the waker and unwinds the guest if p was killed,
// and clears what the operation held.
func (o *rawOp) finish() (n int, serr error) {
	n, serr, w, dead, p := o.n, o.serr, o.waiter, o.dead, o.p
	o.p, o.buf, o.bufs, o.n, o.serr, o.waiter, o.dead = nil, nil, nil, 0, nil, nil, false
	if w != nil {
		w.end(p)
	}
	if dead {
		p.CheckAlive()
	}
	return n, serr
}

// readWait performs one read of a plain TCP stream, waiting within the read deadline
// already set; the caller holds rl. End of stream is (0, nil).
func (s *stream) readWait(p *vm.Process, b []byte) (int, error) {
	if s.raw == nil {
		return 0, s.opError("read", net.ErrClosed)
	}
	o := s.rop
	o.p, o.buf = p, b
	err := s.raw.Read(o.step)
	n, serr := o.finish()
	switch {
	case err != nil:
		return 0, s.opError("read", err)
	case serr != nil:
		return 0, s.opError("read", os.NewSyscallError("read", serr))
	case n < 0:
		n = 0
	}
	return n, nil
}

// writeWait writes all of bufs (total bytes) to a plain TCP stream within the write
// deadline already set, in one writev when the socket takes it; the caller holds wl. It
// returns the bytes written, also when an error stopped it.
func (s *stream) writeWait(p *vm.Process, bufs [][]byte, total int) (int, error) {
	if s.raw == nil {
		return 0, s.opError("write", net.ErrClosed)
	}
	o := s.wop
	o.p, o.bufs, o.total = p, bufs, total
	err := s.raw.Write(o.step)
	n, serr := o.finish()
	// As net.TCPConn names them: Write for one buffer, net.Buffers (writev) for several.
	op := "write"
	if len(bufs) > 1 {
		op = "writev"
	}
	switch {
	case err != nil:
		return n, s.opError(op, err)
	case serr != nil:
		return n, s.opError(op, os.NewSyscallError(op, serr))
	}
	return n, nil
}

func (s *stream) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: s.tcp.LocalAddr(), Addr: s.tcp.RemoteAddr(), Err: err}
}

// stackIovecs is how many buffers writeFrom describes without allocating.
const stackIovecs = 8

// writeFrom makes one write or writev system call for bufs, skipping their first skip
// bytes.
func writeFrom(fd int, bufs [][]byte, skip int) (int, error) {
	var arr [stackIovecs]syscall.Iovec
	iov := arr[:0]
	for _, b := range bufs {
		if skip >= len(b) {
			skip -= len(b)
			continue
		}
		b = b[skip:]
		skip = 0
		v := syscall.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		iov = append(iov, v)
	}
	if len(iov) == 1 {
		return syscall.Write(fd, unsafe.Slice(iov[0].Base, int(iov[0].Len)))
	}
	n, _, e := syscall.Syscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
