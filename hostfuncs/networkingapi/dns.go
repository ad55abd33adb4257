package networkingapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// dnsIter is a finite list of socket addresses with a cursor: the result of resolve and
// the way every local/peer address reaches the guest.
type dnsIter struct {
	addrs []sockAddr
	next  int
}

// newIter stores a one-element iterator for a and returns its id.
func newIter(p *vm.Process, a sockAddr) uint64 {
	return procState(p).dnsIters.Add(&dnsIter{addrs: []sockAddr{a}})
}

func getIter(p *vm.Process, fn string, id uint64) *dnsIter {
	it, ok := procState(p).dnsIters.Get(id)
	if !ok {
		vm.Throw(fn, "dns iterator %d not found", id)
	}
	return it
}

func resolve(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	timeout, idPtr := stack[2], uint32(stack[3])
	guestmem.CheckRange(m, fn, idPtr, 8)
	addrs, err := lookup(p, name, timeout)
	switch {
	case err == nil:
		guestmem.WriteU64(m, fn, idPtr, procState(p).dnsIters.Add(&dnsIter{addrs: addrs}))
		stack[0] = abi.Success
	case errors.Is(err, errTimedOut):
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(err))
		stack[0] = abi.Timeout
	default:
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(err))
		stack[0] = abi.Failure
	}
}

// lookup resolves "host:port". IP literals (with an optional %zone) never reach DNS.
func lookup(p *vm.Process, name string, timeout uint64) ([]sockAddr, error) {
	host, portStr, err := net.SplitHostPort(name)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", name, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: invalid port %q", name, portStr)
	}
	if err := p.Config().Net.CheckHost("resolve", host, uint16(port)); err != nil {
		return nil, err
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return []sockAddr{{ap: netip.AddrPortFrom(ip, uint16(port))}}, nil
	}
	lctx, cancel := withTimeout(p.Context(), timeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIPAddr(lctx, host)
	p.CheckAlive()
	if err != nil {
		if lctx.Err() != nil {
			return nil, fmt.Errorf("resolve %q: %w after %d ms", name, errTimedOut, timeout)
		}
		return nil, fmt.Errorf("resolve %q: %w", name, err)
	}
	out := make([]sockAddr, 0, len(ips))
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			continue
		}
		a = a.Unmap()
		if ip.Zone != "" && a.Is6() {
			a = a.WithZone(ip.Zone)
		}
		out = append(out, sockAddr{ap: netip.AddrPortFrom(a, uint16(port))})
	}
	return out, nil
}

// withTimeout derives a context ending after ms milliseconds (never for noTimeout).
func withTimeout(ctx context.Context, ms uint64) (context.Context, context.CancelFunc) {
	if ms == noTimeout || ms > maxTimeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
}

func resolveNext(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	it := getIter(p, fn, stack[0])
	if it.next >= len(it.addrs) {
		stack[0] = 1
		return
	}
	a := it.addrs[it.next]
	it.next++
	a.encode(m, fn, uint32(stack[1]), uint32(stack[2]), uint32(stack[3]), uint32(stack[4]), uint32(stack[5]))
	stack[0] = 0
}

func dropDNSIterator(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	if _, ok := procState(p).dnsIters.Remove(stack[0]); !ok {
		vm.Throw(fn, "dns iterator %d not found", stack[0])
	}
}
