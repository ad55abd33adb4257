package cluster

import (
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// quietMax is the largest write that quietConn makes as a raw system call; larger ones
// take the ordinary path, which lets the Go scheduler give the P away while they copy.
const quietMax = 64 << 10

// quietConn is a plain TCP connection whose reads and small writes are raw system calls
// on its non-blocking socket (syscall.RawSyscall through its syscall.RawConn), still
// waiting for the network in the Go network poller with the connection's deadlines. An
// ordinary read or write enters the system call through the scheduler (entersyscall),
// and the first one after all Ps were idle wakes the runtime's monitor thread (sysmon),
// which then polls every 20 µs until the process is idle again: on a round trip between
// two processes that sleep between messages, that was a futex wake-up, a thread switch
// and several short sleeps per message and side (see the package doc). These calls do
// not block, and on a connection they take a few µs.
type quietConn struct {
	*net.TCPConn
	rc syscall.RawConn
}

// quiet returns c as a quietConn when it is a plain TCP connection, else c.
func quiet(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	return &quietConn{TCPConn: tc, rc: rc}
}

func (c *quietConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	var errno syscall.Errno
	err := c.rc.Read(func(fd uintptr) bool {
		for {
			r, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
			switch e {
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
				return false // wait in the poller
			}
			n, errno = int(r), e
			return true
		}
	})
	switch {
	case err != nil:
		return 0, err
	case errno != 0:
		return 0, c.opError("read", errno)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (c *quietConn) Write(b []byte) (int, error) {
	if len(b) > quietMax {
		return c.TCPConn.Write(b)
	}
	written := 0
	var errno syscall.Errno
	err := c.rc.Write(func(fd uintptr) bool {
		for written < len(b) {
			r, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[written])), uintptr(len(b)-written))
			switch e {
			case 0:
				written += int(r)
			case syscall.EINTR:
			case syscall.EAGAIN:
				return false // wait in the poller
			default:
				errno = e
				return true
			}
		}
		return true
	})
	switch {
	case err != nil:
		return written, err
	case errno != 0:
		return written, c.opError("write", errno)
	}
	return written, nil
}

func (c *quietConn) opError(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.NewSyscallError(op, errno)}
}
