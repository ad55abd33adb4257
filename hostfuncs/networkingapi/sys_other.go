//go:build !unix && !windows

package networkingapi

import (
	"errors"
	"net"
	"os"
	"time"
)

var errUnsupported = errors.New("not supported on this platform")

// tryRead approximates a non-waiting read with a 1 ms deadline (peek is unsupported).
func tryRead(c *net.TCPConn, b []byte, peek bool) (int, error) {
	if peek {
		return 0, errUnsupported
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Millisecond))
	defer c.SetReadDeadline(time.Time{})
	return c.Read(b)
}

func peekWait(*net.TCPConn, []byte) (int, error) { return 0, errUnsupported }

// tryWrite approximates a non-waiting write with a 1 ms deadline.
func tryWrite(c *net.TCPConn, b []byte) (int, error) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Millisecond))
	defer c.SetWriteDeadline(time.Time{})
	n, err := c.Write(b)
	if n == 0 && err == nil {
		err = os.ErrDeadlineExceeded
	}
	return n, err
}

func sockopt(*net.UDPConn, int, int) (int, error) { return 0, errUnsupported }

func setSockopt(*net.UDPConn, int, int, int) error { return errUnsupported }

var optBroadcast, optTTL4, optTTL6 [2]int

func connectUDP(*net.UDPConn, bool, *net.UDPAddr) error { return errUnsupported }

func peerUDP(*net.UDPConn) (*net.UDPAddr, error) { return nil, errUnsupported }
