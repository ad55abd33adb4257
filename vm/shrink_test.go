package vm

import (
	"errors"
	"slices"
	"testing"
	"unsafe"
)

// TestProcessSize keeps a Process in the 704-byte allocation class (896 bytes before
// the resource tables, the entry arguments and the receive timer moved out of it, see
// RATIONALE.md "Why are a process's resource tables allocated on first use?"). Every
// live process holds one: a field added here costs 64 bytes per process once it
// crosses the class.
func TestProcessSize(t *testing.T) {
	if n := unsafe.Sizeof(Process{}); n > 704 {
		t.Fatalf("Process is %d bytes, more than the 704-byte size class", n)
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
