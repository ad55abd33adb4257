package networkingapi

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

func getUDP(p *vm.Process, fn string, id uint64) *udpSocket {
	c, ok := p.Sockets().UDPSockets.Get(id)
	if !ok {
		vm.Throw(fn, "udp socket %d not found", id)
	}
	h, ok := c.(*udpHandle)
	if !ok {
		vm.Throw(fn, "udp socket %d is not a udp socket (%T)", id, c)
	}
	return h.u
}

func udpBind(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := readAddr(m, fn, stack, 0)
	idPtr := uint32(stack[5])
	guestmem.CheckRange(m, fn, idPtr, 8)
	var lc net.ListenConfig
	var pc net.PacketConn
	err := p.Config().Net.CheckBind("udp_bind", a.ap)
	if err == nil {
		pc, err = lc.ListenPacket(p.Context(), a.network("udp"), a.String())
	}
	if err != nil {
		p.CheckAlive()
	} else {
		unwindIfDead(p, pc) // ListenPacket succeeds even when p was killed before the call
	}
	var id uint64
	if err == nil {
		u := &udpSocket{c: pc.(*net.UDPConn), rt: p.Env().Runtime(), v6: !a.ap.Addr().Is4(), rl: newLock()}
		u.rt.ResourceOpened(resource.UDPSocket)
		// Go enables SO_BROADCAST on every UDP socket; the original starts with it off.
		_ = setSockopt(u.c, optBroadcast[0], optBroadcast[1], 0)
		id = p.Sockets().UDPSockets.Add(u.acquire())
	} else if !errors.Is(err, permissions.ErrDenied) {
		err = fmt.Errorf("udp_bind %s: %w", a, err)
	}
	reply(p, m, fn, idPtr, id, err, stack)
}

func udpLocalAddr(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	u := getUDP(p, fn, stack[0])
	idPtr := uint32(stack[1])
	guestmem.CheckRange(m, fn, idPtr, 8)
	reply(p, m, fn, idPtr, newIter(p, fromNet(u.c.LocalAddr())), nil, stack)
}

// udpPeerAddr returns 0 with the connected peer, 1 when the socket is not connected and 2
// for any other failure (an error id is written in both failure cases).
func udpPeerAddr(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	u := getUDP(p, fn, stack[0])
	idPtr := uint32(stack[1])
	guestmem.CheckRange(m, fn, idPtr, 8)
	peer, err := peerUDP(u.c)
	switch {
	case err == nil:
		guestmem.WriteU64(m, fn, idPtr, newIter(p, fromNet(peer)))
		stack[0] = 0
	case errors.Is(err, errNotConnected):
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(fmt.Errorf("udp_peer_addr: %w", err)))
		stack[0] = 1
	default:
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(fmt.Errorf("udp_peer_addr: %w", err)))
		stack[0] = 2
	}
}

func dropUDPSocket(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	c, ok := p.Sockets().UDPSockets.Remove(stack[0])
	if !ok {
		vm.Throw(fn, "udp socket %d not found", stack[0])
	}
	_ = c.Close()
}

func cloneUDPSocket(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	stack[0] = p.Sockets().UDPSockets.Add(getUDP(p, fn, stack[0]).acquire())
}

// udpConnect sets the default peer. It never waits, so the timeout (lunatic-rs always
// passes 0) does not apply; it writes 0 on success.
func udpConnect(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := readAddr(m, fn, stack, 1)
	u := getUDP(p, fn, stack[0])
	idPtr := uint32(stack[7])
	guestmem.CheckRange(m, fn, idPtr, 8)
	err := p.Config().Net.CheckDial("udp_connect", "", a.ap)
	if err == nil {
		if err = connectUDP(u.c, u.v6, net.UDPAddrFromAddrPort(a.ap)); err != nil {
			err = fmt.Errorf("udp_connect: %w", err)
		}
	}
	reply(p, m, fn, idPtr, 0, err, stack)
}

func udpSend(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	buf := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	u := getUDP(p, fn, stack[0])
	outPtr := uint32(stack[3])
	guestmem.CheckRange(m, fn, outPtr, 8)
	n, err := u.c.Write(buf)
	reply(p, m, fn, outPtr, uint64(n), wrap(fn, err), stack)
}

func udpSendTo(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	buf := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	a := readAddr(m, fn, stack, 3)
	u := getUDP(p, fn, stack[0])
	outPtr := uint32(stack[8])
	guestmem.CheckRange(m, fn, outPtr, 8)
	to := a.ap
	if u.v6 && to.Addr().Is4() {
		to = netipMapped(to)
	}
	if err := p.Config().Net.CheckDial("udp_send_to", "", a.ap); err != nil {
		reply(p, m, fn, outPtr, 0, err, stack)
		return
	}
	n, err := u.c.WriteToUDPAddrPort(buf, to)
	reply(p, m, fn, outPtr, uint64(n), wrap(fn, err), stack)
}

// receive waits for one datagram; a kill ends the wait.
func (u *udpSocket) receive(p *vm.Process, buf []byte, from bool) (int, net.Addr, error) {
	u.rl.acquire(p)
	defer u.rl.release()
	u.clearDeadline()
	w := begin(p, u, dirRead)
	var n int
	var addr *net.UDPAddr
	var err error
	if from {
		n, addr, err = u.c.ReadFromUDP(buf)
	} else {
		n, err = u.c.Read(buf)
	}
	w.end(p)
	return n, addr, err
}

func udpReceive(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	buf := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	u := getUDP(p, fn, stack[0])
	outPtr := uint32(stack[3])
	guestmem.CheckRange(m, fn, outPtr, 8)
	n, _, err := u.receive(p, buf, false)
	reply(p, m, fn, outPtr, uint64(n), wrap(fn, err), stack)
}

func udpReceiveFrom(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	buf := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	u := getUDP(p, fn, stack[0])
	outPtr, iterPtr := uint32(stack[3]), uint32(stack[4])
	guestmem.CheckRange(m, fn, outPtr, 8)
	guestmem.CheckRange(m, fn, iterPtr, 8)
	n, from, err := u.receive(p, buf, true)
	if err != nil {
		reply(p, m, fn, outPtr, 0, wrap(fn, err), stack)
		return
	}
	guestmem.WriteU64(m, fn, outPtr, uint64(n))
	guestmem.WriteU64(m, fn, iterPtr, newIter(p, fromNet(from)))
	stack[0] = 0
}
