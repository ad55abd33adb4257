package networkingapi

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// streamKind says which table a stream id refers to.
type streamKind uint8

const (
	kindTCP streamKind = iota
	kindTLS
)

func (k streamKind) String() string {
	if k == kindTLS {
		return "tls stream"
	}
	return "tcp stream"
}

func (k streamKind) table(p *vm.Process) *vm.Table[io.Closer] {
	if k == kindTLS {
		return &p.Sockets().TLSStreams
	}
	return &p.Sockets().TCPStreams
}

// getStream returns the stream with the given id, trapping when there is none.
func getStream(p *vm.Process, fn string, k streamKind, id uint64) *stream {
	c, ok := k.table(p).Get(id)
	if !ok {
		vm.Throw(fn, "%s %d not found", k, id)
	}
	h, ok := c.(*streamHandle)
	if !ok {
		vm.Throw(fn, "%s %d is not a stream (%T)", k, id, c)
	}
	return h.s
}

func dropStream(k streamKind) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		c, ok := k.table(p).Remove(stack[0])
		if !ok {
			vm.Throw(fn, "%s %d not found", k, stack[0])
		}
		_ = c.Close()
	}
}

func cloneStream(k streamKind) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		s := getStream(p, fn, k, stack[0])
		stack[0] = k.table(p).Add(s.acquire())
	}
}

var (
	dropTCPStream  = dropStream(kindTCP)
	cloneTCPStream = cloneStream(kindTCP)
	dropTLSStream  = dropStream(kindTLS)
	cloneTLSStream = cloneStream(kindTLS)
)

// Bounds of one vectored write. A write may take fewer bytes than it is offered (the
// guest's write_all loops, as for any short write), so one call uses at most maxIovecs
// buffers (Linux's IOV_MAX, which also bounds the original's writev) and maxWriteBytes
// bytes. Without them a guest could describe millions of buffers, or thousands that
// overlap, and make the host allocate the list, or copy terabytes for a TLS write.
const (
	maxIovecs     = 1024
	maxWriteBytes = 1 << 20
)

// iovecs returns views of the count {ptr u32, len u32} buffers described at ptr, trapping
// if the array or any buffer lies outside guest memory. It keeps the non-empty buffers
// that fit in one write's bounds, cutting the last one short if need be.
func iovecs(m api.Module, fn string, ptr, count uint32) [][]byte {
	size := uint64(count) * 8
	if size > uint64(^uint32(0)) {
		vm.Throw(fn, "pointer out of bounds (%d iovecs at %#x)", count, ptr)
	}
	arr := guestmem.View(m, fn, ptr, uint32(size))
	var bufs [][]byte
	budget := uint32(maxWriteBytes)
	for i := uint32(0); i < count; i++ {
		bp, bl := binary.LittleEndian.Uint32(arr[i*8:]), binary.LittleEndian.Uint32(arr[i*8+4:])
		guestmem.CheckRange(m, fn, bp, uint64(bl)) // every entry, also those not written now
		if bl == 0 || budget == 0 || len(bufs) == maxIovecs {
			continue
		}
		n := min(bl, budget)
		bufs = append(bufs, guestmem.View(m, fn, bp, n))
		budget -= n
	}
	return bufs
}

func writeVectored(k streamKind) hostfunc.Impl {
	return func(ctx context.Context, fn string, m api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		bufs := iovecs(m, fn, uint32(stack[1]), uint32(stack[2]))
		s := getStream(p, fn, k, stack[0])
		outPtr := uint32(stack[3])
		guestmem.CheckRange(m, fn, outPtr, 8)
		n, err := s.write(p, bufs)
		reply(p, m, fn, outPtr, uint64(n), wrap(fn, err), stack)
	}
}

// readInto implements tcp_read, tcp_peek and tls_read.
func readInto(k streamKind, peek bool) hostfunc.Impl {
	return func(ctx context.Context, fn string, m api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		s := getStream(p, fn, k, stack[0])
		buf := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
		outPtr := uint32(stack[3])
		guestmem.CheckRange(m, fn, outPtr, 8)
		var n int
		var err error
		if peek {
			n, err = s.peek(p, buf)
		} else {
			n, err = s.read(p, buf)
		}
		reply(p, m, fn, outPtr, uint64(n), wrap(fn, err), stack)
	}
}

var (
	tcpWriteVectored = writeVectored(kindTCP)
	tcpRead          = readInto(kindTCP, false)
	tcpPeek          = readInto(kindTCP, true)
	tlsWriteVectored = writeVectored(kindTLS)
	tlsRead          = readInto(kindTLS, false)
)

// wrap prefixes an I/O error with the host function name; nil stays nil.
func wrap(fn string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", strings.TrimPrefix(fn, ns), err)
}

// flush implements tcp_flush and tls_flush: writes go straight to the socket (crypto/tls
// does not buffer either), so there is nothing to flush; it writes 0 and returns 0.
func flush(k streamKind) hostfunc.Impl {
	return func(ctx context.Context, fn string, m api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		getStream(p, fn, k, stack[0])
		reply(p, m, fn, uint32(stack[1]), 0, nil, stack)
	}
}

var (
	tcpFlush = flush(kindTCP)
	tlsFlush = flush(kindTLS)
)

// setTimeout stores a stream timeout in ms (u64::MAX clears it); clones share it.
func setTimeout(k streamKind, slot timeoutSlot) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		getStream(p, fn, k, stack[0]).timeouts[slot].Store(stack[1])
	}
}

// getTimeout returns a stream timeout in ms, u64::MAX when none is set.
func getTimeout(k streamKind, slot timeoutSlot) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		stack[0] = getStream(p, fn, k, stack[0]).timeouts[slot].Load()
	}
}

func tcpPeerAddr(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	s := getStream(p, fn, kindTCP, stack[0])
	idPtr := uint32(stack[1])
	guestmem.CheckRange(m, fn, idPtr, 8)
	reply(p, m, fn, idPtr, newIter(p, fromNet(s.tcp.RemoteAddr())), nil, stack)
}
