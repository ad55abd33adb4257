package networkingapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// listen binds a TCP listener (SO_REUSEADDR, as Go does on Unix).
func listen(p *vm.Process, fn string, a sockAddr) (*net.TCPListener, error) {
	if err := p.Config().Net.CheckBind(fn, a.ap); err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	l, err := lc.Listen(p.Context(), a.network("tcp"), a.String())
	if err != nil {
		p.CheckAlive()
		return nil, fmt.Errorf("%s %s: %w", fn, a, err)
	}
	tl := l.(*net.TCPListener)
	unwindIfDead(p, tl) // Listen succeeds even when p was killed before the call
	return tl, nil
}

func tcpBind(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := readAddr(m, fn, stack, 0)
	idPtr := uint32(stack[5])
	guestmem.CheckRange(m, fn, idPtr, 8)
	l, err := listen(p, "tcp_bind", a)
	var id uint64
	if err == nil {
		id = procState(p).tcpListeners.Add(newListener(p, l, nil))
	}
	reply(p, m, fn, idPtr, id, err, stack)
}

func getTCPListener(p *vm.Process, fn string, id uint64) *listener {
	l, ok := procState(p).tcpListeners.Get(id)
	if !ok {
		vm.Throw(fn, "tcp listener %d not found", id)
	}
	return l
}

func dropTCPListener(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l, ok := procState(p).tcpListeners.Remove(stack[0])
	if !ok {
		vm.Throw(fn, "tcp listener %d not found", stack[0])
	}
	_ = l.close()
}

func tcpLocalAddr(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l := getTCPListener(p, fn, stack[0])
	idPtr := uint32(stack[1])
	guestmem.CheckRange(m, fn, idPtr, 8)
	reply(p, m, fn, idPtr, newIter(p, fromNet(l.tcp.Addr())), nil, stack)
}

// listenerTarget lets a kill interrupt a blocked accept.
type listenerTarget struct{ l *net.TCPListener }

func (t listenerTarget) interrupt(direction) { _ = t.l.SetDeadline(time.Unix(1, 0)) }

// accept waits for the next connection on l; a kill ends the wait.
func accept(p *vm.Process, l *net.TCPListener) (*net.TCPConn, error) {
	w := begin(p, listenerTarget{l}, dirRead)
	c, err := l.AcceptTCP()
	if c != nil {
		w.endClosing(p, c)
	} else {
		w.end(p)
	}
	return c, err
}

// replyAccept writes the outcome of tcp_accept/tls_accept: the stream id and a peer
// address iterator, or an error id and 0.
func replyAccept(p *vm.Process, m api.Module, fn string, stack []uint64, add func(*net.TCPConn) uint64, c *net.TCPConn, err error) {
	idPtr, peerPtr := uint32(stack[1]), uint32(stack[2])
	if err != nil {
		reply(p, m, fn, idPtr, 0, err, stack)
		guestmem.WriteU64(m, fn, peerPtr, 0)
		return
	}
	peer := newIter(p, fromNet(c.RemoteAddr()))
	guestmem.WriteU64(m, fn, idPtr, add(c))
	guestmem.WriteU64(m, fn, peerPtr, peer)
	stack[0] = 0
}

func tcpAccept(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l := getTCPListener(p, fn, stack[0])
	guestmem.CheckRange(m, fn, uint32(stack[1]), 8)
	guestmem.CheckRange(m, fn, uint32(stack[2]), 8)
	c, err := accept(p, l.tcp)
	if err != nil {
		err = fmt.Errorf("tcp_accept: %w", err)
	}
	replyAccept(p, m, fn, stack, func(c *net.TCPConn) uint64 {
		return p.Sockets().TCPStreams.Add(newStream(p, c).acquire())
	}, c, err)
}

// dial connects to one address within ms milliseconds (noTimeout = no limit).
func dial(p *vm.Process, op string, network, addr string, ms uint64) (*net.TCPConn, error) {
	dctx, cancel := withTimeout(p.Context(), ms)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(dctx, network, addr)
	if err != nil {
		p.CheckAlive()
		return nil, connectError(op, addr, ms, dctx, err)
	}
	tc := c.(*net.TCPConn)
	unwindIfDead(p, tc)
	return tc, nil
}

// connectError classifies a failed connect: past the guest's timeout it is errTimedOut
// (status 9027); anything else, including an ETIMEDOUT from the OS when the guest set no
// timeout, is an error with the OS reason in its text.
func connectError(op, addr string, ms uint64, ctx context.Context, err error) error {
	var ne net.Error
	if _, limited := ctx.Deadline(); limited && (ctx.Err() != nil || errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%s %s: %w after %d ms", op, addr, errTimedOut, ms)
	}
	return fmt.Errorf("%s: %v", op, err)
}

func tcpConnect(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := readAddr(m, fn, stack, 0)
	timeout, idPtr := stack[5], uint32(stack[6])
	guestmem.CheckRange(m, fn, idPtr, 8)
	var c *net.TCPConn
	err := p.Config().Net.CheckDial("tcp_connect", "", a.ap)
	if err == nil {
		c, err = dial(p, "tcp_connect", a.network("tcp"), a.String(), timeout)
	}
	var id uint64
	if err == nil {
		id = p.Sockets().TCPStreams.Add(newStream(p, c).acquire())
	}
	replyID(p, m, fn, idPtr, id, err, stack)
}
