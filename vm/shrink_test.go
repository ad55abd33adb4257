package vm

import (
	"context"
	"errors"
	"slices"
	"testing"
	"unsafe"

	"github.com/tetratelabs/wazero/experimental"
)

// TestProcessSize keeps a Process in the 704-byte allocation class (896 bytes before
// the resource tables, the entry arguments and the receive timer moved out of it, see
// RATIONALE.md "Why is a Process sized to its allocation class?"). Every live process
// holds one: a field added here costs 64 bytes per process once it crosses the class.
// An object of more than 512 bytes that holds pointers carries an 8-byte header in
// the Go heap, so 696 bytes is the most that fits.
func TestProcessSize(t *testing.T) {
	if n := unsafe.Sizeof(Process{}); n > 704-8 {
		t.Fatalf("Process is %d bytes, more than the 704-byte size class holds with its header", n)
	}
}

func TestLinkMap(t *testing.T) {
	var l linkMap
	if l.len() != 0 || l.peers() != nil {
		t.Fatalf("empty map: len %d, peers %v", l.len(), l.peers())
	}
	l.remove(7) // nothing to remove
	l.set(7, 70)
	l.set(7, 71) // replaces, stays in place
	if l.many != nil || l.len() != 1 {
		t.Fatalf("one link: many %v, len %d", l.many, l.len())
	}
	l.set(8, 80)
	l.set(9, 0)
	if l.many == nil || l.len() != 3 {
		t.Fatalf("three links: many %v, len %d", l.many, l.len())
	}
	got := map[uint64]int64{}
	l.each(func(peer uint64, tag int64) { got[peer] = tag })
	want := map[uint64]int64{7: 71, 8: 80, 9: 0}
	if len(got) != len(want) {
		t.Fatalf("each gave %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("each gave %v, want %v", got, want)
		}
	}
	l.remove(8)
	peers := l.peers()
	slices.Sort(peers)
	if !slices.Equal(peers, []uint64{7, 9}) {
		t.Fatalf("peers after removing 8: %v", peers)
	}
	var one linkMap
	one.set(5, 50)
	one.remove(6) // another peer: kept
	if one.len() != 1 {
		t.Fatalf("removing another peer dropped the link: len %d", one.len())
	}
	one.remove(5)
	if one.len() != 0 || one.peers() != nil {
		t.Fatalf("after removing the only link: len %d", one.len())
	}
}

type closeCounter struct{ n *int }

func (c closeCounter) Close() error { *c.n++; return nil }

// TestResourcesOnFirstUse checks that a process's resource tables are created on first
// use, keep what was stored in them, and are closed at the end; and that the end of a
// process that never used them creates nothing.
func TestResourcesOnFirstUse(t *testing.T) {
	var idle Process
	idle.releaseResources()
	if idle.res != nil {
		t.Fatal("releaseResources allocated the resource tables")
	}

	var p Process
	errID := p.Errors().Add(errors.New("boom"))
	if p.res == nil {
		t.Fatal("Errors did not allocate the resource tables")
	}
	if err, ok := p.Errors().Get(errID); !ok || err.Error() != "boom" {
		t.Fatalf("Errors().Get(%d) = %v, %v", errID, err, ok)
	}
	closed := 0
	p.Sockets().TCPStreams.Add(closeCounter{&closed})
	p.Sockets().UDPSockets.Add(closeCounter{&closed})
	key := NewLocalKey[closeCounter]("test")
	*key.Get(&p) = closeCounter{&closed}
	if key.Get(&p).n != &closed {
		t.Fatal("LocalKey.Get did not keep the value")
	}
	p.releaseResources()
	if closed != 3 {
		t.Fatalf("releaseResources closed %d resources, want 3", closed)
	}
}

// TestDoneOnDemand checks the Done channel made on first use: the same channel each
// time, open until the end and closed by it; and a closed one for a process that ended
// before anyone asked.
func TestDoneOnDemand(t *testing.T) {
	p := testProcess()
	d := p.Done()
	if p.Done() != d {
		t.Fatal("Done returned another channel")
	}
	select {
	case <-d:
		t.Fatal("Done is closed before the end")
	default:
	}
	p.closeDone()
	select {
	case <-d:
	default:
		t.Fatal("the end did not close the channel Done returned")
	}

	q := testProcess()
	q.closeDone()
	select {
	case <-q.Done():
	default:
		t.Fatal("Done of a process that ended is not closed")
	}
}

// TestProcessContextValues checks that the process context answers wazero's stack
// limiter and suspender keys itself (the suspender also when suspension is off: it then
// refuses requests, and still carries the preemption cell), and hands other keys to the
// context under it.
func TestProcessContextValues(t *testing.T) {
	type otherKey struct{}
	for _, noSuspend := range []bool{false, true} {
		p := testProcess()
		p.env.rt.noSuspend = noSuspend
		ctx := withProcess(context.WithValue(context.Background(), otherKey{}, "below"), p)
		if got, ok := ctx.Value(experimental.StackLimiterContextKey()).(experimental.StackLimiter); !ok || got != &p.stack {
			t.Fatalf("stack limiter: %v", got)
		}
		s, _ := ctx.Value(experimental.SuspenderContextKey()).(*experimental.Suspender)
		if s != &p.susp {
			t.Fatalf("noSuspend %v: suspender %p, process's %p", noSuspend, s, &p.susp)
		}
		p.susp.Off = noSuspend
		p.susp.Depth = 1
		if got := s.Request(); got == noSuspend {
			t.Fatalf("noSuspend %v: Request() = %v", noSuspend, got)
		}
		p.susp.Depth, p.susp.Requested = 0, false
		if ProcessFrom(ctx) != p || ctx.Value(processKey{}) != p {
			t.Fatal("the process context does not give its process")
		}
		if ctx.Value(otherKey{}) != "below" {
			t.Fatal("a key of the context below is lost")
		}
	}
}
