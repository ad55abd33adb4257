//go:build windows

package networkingapi

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// sysConn is a socket whose handle can be used directly.
type sysConn interface {
	SyscallConn() (syscall.RawConn, error)
}

// tryRead performs one read (or, with peek, one MSG_PEEK receive) without waiting: when
// no data is available it returns os.ErrDeadlineExceeded.
func tryRead(c sysConn, b []byte, peek bool) (int, error) {
	return recvRaw(c, b, peek, false)
}

// peekWait performs one MSG_PEEK receive, waiting (within the read deadline) for data.
func peekWait(c sysConn, b []byte) (int, error) {
	return recvRaw(c, b, true, true)
}

// recvRaw receives only once WSAPoll reports the socket readable (data, or the peer's
// end), so the receive never blocks. When it is not readable and wait is set, Go's
// poller waits for readability within the read deadline (a zero-byte overlapped read)
// and the check runs again — the same pattern as EAGAIN on Unix.
func recvRaw(c sysConn, b []byte, peek, wait bool) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	flags := 0
	if peek {
		flags = windows.MSG_PEEK
	}
	var n int
	var serr error
	notReady := false
	err = rc.Read(func(fd uintptr) bool {
		ready, perr := pollIn(windows.Handle(fd))
		if perr != nil {
			serr = perr
			return true
		}
		if !ready {
			notReady = true
			return !wait
		}
		notReady = false
		n, _, serr = windows.Recvfrom(windows.Handle(fd), b, flags)
		return true
	})
	if err != nil {
		return 0, err
	}
	if notReady {
		return 0, os.ErrDeadlineExceeded
	}
	return result(n, serr, "read")
}

// wsaPollFD is WSAPOLLFD.
type wsaPollFD struct {
	fd      windows.Handle
	events  int16
	revents int16
}

const (
	pollRdNorm = 0x0100 // POLLRDNORM
	pollErr    = 0x0001 // POLLERR
	pollHup    = 0x0002 // POLLHUP
)

var procWSAPoll = windows.NewLazySystemDLL("ws2_32.dll").NewProc("WSAPoll")

// pollIn reports, without waiting, whether a receive on s would return at once: data is
// queued, the peer closed its side, or the socket failed.
func pollIn(s windows.Handle) (bool, error) {
	pfd := wsaPollFD{fd: s, events: pollRdNorm}
	r, _, e := procWSAPoll.Call(uintptr(unsafe.Pointer(&pfd)), 1, 0)
	if int32(r) < 0 {
		return false, os.NewSyscallError("WSAPoll", e)
	}
	return pfd.revents&(pollRdNorm|pollErr|pollHup) != 0, nil
}

// tryWrite approximates a non-waiting write with a 1 ms deadline: a Windows socket
// cannot send only what fits at once, so this is the closest to Unix's non-blocking
// send (what goes out within the millisecond is reported as written).
func tryWrite(c *net.TCPConn, b []byte) (int, error) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Millisecond))
	defer c.SetWriteDeadline(time.Time{})
	n, err := c.Write(b)
	if n > 0 {
		return n, nil
	}
	if err == nil {
		err = os.ErrDeadlineExceeded
	}
	return 0, err
}

func result(n int, err error, op string) (int, error) {
	if errors.Is(err, windows.WSAEWOULDBLOCK) {
		return 0, os.ErrDeadlineExceeded
	}
	if err != nil {
		return 0, &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, err)}
	}
	if n < 0 {
		n = 0
	}
	return n, nil
}

// sockopt reads an integer socket option.
func sockopt(c sysConn, level, opt int) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var v int
	var serr error
	if err := rc.Control(func(fd uintptr) { v, serr = windows.GetsockoptInt(windows.Handle(fd), level, opt) }); err != nil {
		return 0, err
	}
	if serr != nil {
		return 0, os.NewSyscallError("getsockopt", serr)
	}
	return v, nil
}

// setSockopt sets an integer socket option.
func setSockopt(c sysConn, level, opt, v int) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = windows.SetsockoptInt(windows.Handle(fd), level, opt, v) }); err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("setsockopt", serr)
	}
	return nil
}

// Socket options used by the UDP broadcast and TTL calls.
var (
	optBroadcast = [2]int{windows.SOL_SOCKET, windows.SO_BROADCAST}
	optTTL4      = [2]int{windows.IPPROTO_IP, windows.IP_TTL}
	optTTL6      = [2]int{windows.IPPROTO_IPV6, windows.IPV6_UNICAST_HOPS}
)

// connectUDP sets (or changes) the default peer of a UDP socket.
func connectUDP(c *net.UDPConn, v6 bool, to *net.UDPAddr) error {
	sa, err := sockaddr(to, v6)
	if err != nil {
		return err
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = windows.Connect(windows.Handle(fd), sa) }); err != nil {
		return err
	}
	if serr != nil {
		return &net.OpError{Op: "connect", Net: "udp", Source: c.LocalAddr(), Addr: to, Err: os.NewSyscallError("connect", serr)}
	}
	return nil
}

// peerUDP returns the default peer of a UDP socket; errNotConnected if there is none.
func peerUDP(c *net.UDPConn) (*net.UDPAddr, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var sa windows.Sockaddr
	var serr error
	if err := rc.Control(func(fd uintptr) { sa, serr = windows.Getpeername(windows.Handle(fd)) }); err != nil {
		return nil, err
	}
	if errors.Is(serr, windows.WSAENOTCONN) {
		return nil, errNotConnected
	}
	if serr != nil {
		return nil, os.NewSyscallError("getpeername", serr)
	}
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}, nil
	case *windows.SockaddrInet6:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port, Zone: zoneName(a.ZoneId)}, nil
	}
	return nil, fmt.Errorf("getpeername: unexpected address %T", sa)
}

// sockaddr converts a UDP address for an IPv4 or IPv6 socket (an IPv6 socket reaches
// IPv4 peers through their mapped form).
func sockaddr(a *net.UDPAddr, v6sock bool) (windows.Sockaddr, error) {
	if ip4 := a.IP.To4(); ip4 != nil && !v6sock {
		sa := &windows.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		return sa, nil
	}
	if !v6sock {
		return nil, fmt.Errorf("connect to %s: an IPv4 socket cannot reach an IPv6 address", a)
	}
	sa := &windows.SockaddrInet6{Port: a.Port, ZoneId: zoneIndex(a.Zone)}
	copy(sa.Addr[:], a.IP.To16())
	return sa, nil
}
