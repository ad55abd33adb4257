package networkingapi

import (
	"net"
	"os"
	"sync/atomic"
)

// sockConn is the TCP socket below a TLS stream. It can be switched to "try once" mode,
// where a read or write that would block fails with os.ErrDeadlineExceeded at once instead
// of waiting: that is how a timeout of 0 ms behaves (docs/abi/networking.md, "Timeouts").
type sockConn struct {
	*net.TCPConn
	readOnce, writeOnce atomic.Bool
}

var _ net.Conn = (*sockConn)(nil)

func (c *sockConn) Read(b []byte) (int, error) {
	if c.readOnce.Load() {
		return tryRead(c.TCPConn, b, false)
	}
	return c.TCPConn.Read(b)
}

// Write in try-once mode fails only when nothing at all can be written; once a record has
// started going out, the rest is written normally so that TLS records are never torn.
func (c *sockConn) Write(b []byte) (int, error) {
	if !c.writeOnce.Load() {
		return c.TCPConn.Write(b)
	}
	n, err := tryWrite(c.TCPConn, b)
	if err != nil || n == len(b) {
		if n == 0 && err == nil {
			err = os.ErrDeadlineExceeded
		}
		return n, err
	}
	m, err := c.TCPConn.Write(b[n:])
	return n + m, err
}
