//go:build unix

package networkingapi

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// sysConn is a socket whose file descriptor can be used directly.
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

func recvRaw(c sysConn, b []byte, peek, wait bool) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	flags := 0
	if peek {
		flags = syscall.MSG_PEEK
	}
	var n int
	var serr error
	err = rc.Read(func(fd uintptr) bool {
		for {
			n, _, serr = syscall.Recvfrom(int(fd), b, flags)
			if serr != syscall.EINTR {
				break
			}
		}
		return !(wait && serr == syscall.EAGAIN)
	})
	if err != nil {
		return 0, err
	}
	return result(n, serr, "read")
}

// tryWrite performs one write without waiting.
func tryWrite(c sysConn, b []byte) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var serr error
	err = rc.Write(func(fd uintptr) bool {
		for {
			n, serr = syscall.Write(int(fd), b)
			if serr != syscall.EINTR {
				return true
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return result(n, serr, "write")
}

func result(n int, err error, op string) (int, error) {
	if errors.Is(err, syscall.EAGAIN) {
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
	if err := rc.Control(func(fd uintptr) { v, serr = syscall.GetsockoptInt(int(fd), level, opt) }); err != nil {
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
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), level, opt, v) }); err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("setsockopt", serr)
	}
	return nil
}

// Socket options used by the UDP broadcast and TTL calls.
var (
	optBroadcast = [2]int{syscall.SOL_SOCKET, syscall.SO_BROADCAST}
	optTTL4      = [2]int{syscall.IPPROTO_IP, syscall.IP_TTL}
	optTTL6      = [2]int{syscall.IPPROTO_IPV6, syscall.IPV6_UNICAST_HOPS}
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
	if err := rc.Control(func(fd uintptr) { serr = syscall.Connect(int(fd), sa) }); err != nil {
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
	var sa syscall.Sockaddr
	var serr error
	if err := rc.Control(func(fd uintptr) { sa, serr = syscall.Getpeername(int(fd)) }); err != nil {
		return nil, err
	}
	if errors.Is(serr, syscall.ENOTCONN) {
		return nil, errNotConnected
	}
	if serr != nil {
		return nil, os.NewSyscallError("getpeername", serr)
	}
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}, nil
	case *syscall.SockaddrInet6:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port, Zone: zoneName(a.ZoneId)}, nil
	}
	return nil, fmt.Errorf("getpeername: unexpected address %T", sa)
}

// sockaddr converts a UDP address for an IPv4 or IPv6 socket (an IPv6 socket reaches
// IPv4 peers through their mapped form).
func sockaddr(a *net.UDPAddr, v6sock bool) (syscall.Sockaddr, error) {
	if ip4 := a.IP.To4(); ip4 != nil && !v6sock {
		sa := &syscall.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		return sa, nil
	}
	if !v6sock {
		return nil, fmt.Errorf("connect to %s: an IPv4 socket cannot reach an IPv6 address", a)
	}
	sa := &syscall.SockaddrInet6{Port: a.Port, ZoneId: zoneIndex(a.Zone)}
	copy(sa.Addr[:], a.IP.To16())
	return sa, nil
}
