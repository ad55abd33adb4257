package networkingapi

import (
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// udpSocket is one UDP socket shared by every handle to it. Receives are serialised by
// rl (a datagram goes to one receiver anyway), which keeps the kill interrupt of one
// receiver from reaching another.
type udpSocket struct {
	c  *net.UDPConn
	rt *vm.Runtime // for the resource observer
	v6 bool
	rl lock
	// rdirty says a kill interrupt left a past read deadline on the socket.
	rdirty atomic.Bool
	refs   atomic.Int64
}

var _ interruptible = (*udpSocket)(nil)

func (u *udpSocket) interrupt(direction) {
	u.rdirty.Store(true)
	_ = u.c.SetReadDeadline(time.Unix(1, 0))
}

// clearDeadline removes a deadline left by an interrupt; the caller holds rl.
func (u *udpSocket) clearDeadline() {
	if u.rdirty.Swap(false) {
		_ = u.c.SetReadDeadline(time.Time{})
	}
}

func (u *udpSocket) acquire() *udpHandle {
	u.refs.Add(1)
	return &udpHandle{u: u}
}

// udpHandle is one resource-table entry for a UDP socket; the socket closes with the last.
type udpHandle struct {
	u      *udpSocket
	closed atomic.Bool
}

var _ io.Closer = (*udpHandle)(nil)

// Close drops this handle.
func (h *udpHandle) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	if h.u.refs.Add(-1) == 0 {
		h.u.rt.ResourceClosed(resource.UDPSocket)
		return h.u.c.Close()
	}
	return nil
}
