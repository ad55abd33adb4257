package wasm

import (
	"runtime"
	"sync"
	"testing"
	"unsafe"
)

// TestMemoryInstanceSize checks that a MemoryInstance stays in the 112-byte allocation
// class now that its waiters map is created on first use (lunatic patch; 144 bytes
// before).
func TestMemoryInstanceSize(t *testing.T) {
	if n := unsafe.Sizeof(MemoryInstance{}); n > 112 {
		t.Fatalf("MemoryInstance is %d bytes, more than 112", n)
	}
}

// TestWaitersOnFirstUse checks that a notify before any wait finds no waiter and
// creates nothing, and that concurrent first waits share one map.
func TestWaitersOnFirstUse(t *testing.T) {
	m := &MemoryInstance{}
	if n := m.Notify(0, 1); n != 0 {
		t.Fatalf("Notify woke %d waiters of a memory never waited on", n)
	}
	if m.waiters.Load() != nil {
		t.Fatal("Notify created the waiters map")
	}
	var wg sync.WaitGroup
	got := make([]*waiters, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = m.getWaiters(16)
		}()
	}
	wg.Wait()
	for _, w := range got {
		if w != got[0] {
			t.Fatal("concurrent first waits got different waiter lists")
		}
	}
}

// TestWaitNotify checks that a wait on a memory whose waiters map did not exist yet
// is woken by a notify.
func TestWaitNotify(t *testing.T) {
	m := &MemoryInstance{}
	zero := func(*MemoryInstance, uint32) uint32 { return 0 }
	res := make(chan uint64, 1)
	go func() { res <- m.Wait32(8, 0, -1, zero) }()
	// The waiter is queued once Notify finds it; until then Notify wakes nobody.
	for m.Notify(8, 1) == 0 {
		runtime.Gosched()
	}
	if r := <-res; r != 0 {
		t.Fatalf("Wait32 returned %d, want 0 (woken)", r)
	}
	if r := m.Wait32(8, 1, -1, zero); r != 1 {
		t.Fatalf("Wait32 with another expected value returned %d, want 1", r)
	}
}
