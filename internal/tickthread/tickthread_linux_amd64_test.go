package tickthread

import (
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestThreadReadsWithoutAP checks what the thread is for: with one P, which the test's
// goroutine keeps while it spins on the word, the timer's expiries land in the word
// with no goroutine's help; End stops the thread.
func TestThreadReadsWithoutAP(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	fd := periodicTimer(t)
	word := new(uint64)
	atomic.StoreUint64(word, 1<<63)
	th, err := Start(int(fd), word, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !th.Running() {
		t.Fatal("thread not running after Start")
	}
	for i := 0; i < 3; i++ {
		atomic.StoreUint64(word, 1<<63)
		deadline := time.Now().Add(time.Minute)
		for int64(atomic.LoadUint64(word)) < 0 { // the kernel writes the expiration count
			if time.Now().After(deadline) {
				t.Fatalf("expiry %d never landed in the word", i)
			}
		}
	}
	th.End()
	if th.Running() {
		t.Fatal("thread still running after End")
	}
}

// TestThreadPoisonsCells checks the table: after a read the thread stores PreemptBound
// in the word a cell names, leaves empty and released cells alone and lowers busy.
func TestThreadPoisonsCells(t *testing.T) {
	fd := periodicTimer(t)
	var busy uint32
	table := NewTable(&busy, nil)
	a, b, c := table.Acquire(), table.Acquire(), table.Acquire()
	if a == nil || b == nil || c == nil || a == b || b == c {
		t.Fatal("Acquire did not hand out three distinct cells")
	}
	var wa, wc, wb uintptr = 1, 3, 2
	atomic.StorePointer(a, unsafe.Pointer(&wa))
	atomic.StorePointer(c, unsafe.Pointer(&wc))
	table.Release(b) // empty: nothing is stored through it
	word := new(uint64)
	th, err := Start(int(fd), word, table)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for atomic.LoadUintptr(&wa) != PreemptBound || atomic.LoadUintptr(&wc) != PreemptBound {
		if time.Now().After(deadline) {
			t.Fatalf("words not poisoned: %#x %#x", atomic.LoadUintptr(&wa), atomic.LoadUintptr(&wc))
		}
		runtime.Gosched()
	}
	if got := atomic.LoadUintptr(&wb); got != 2 {
		t.Fatalf("word of a released cell = %#x, want 2", got)
	}
	// Emptied cells are left alone from the next pass on.
	atomic.StorePointer(a, nil)
	atomic.StorePointer(c, nil)
	atomic.AddUint32(&busy, 0)
	for atomic.LoadUint32(&busy) != 0 {
		runtime.Gosched()
	}
	atomic.StoreUintptr(&wa, 1)
	// Two more reads: the pass after the first has ended when the second lands.
	for k := 0; k < 2; k++ {
		atomic.StoreUint64(word, 0)
		for atomic.LoadUint64(word) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no further tick")
			}
			runtime.Gosched()
		}
	}
	if got := atomic.LoadUintptr(&wa); got != 1 {
		t.Fatalf("word of an emptied cell = %#x, want 1", got)
	}
	if n := table.InUse(); n != 0 {
		t.Fatalf("InUse = %d, want 0", n)
	}
	if d := table.Acquire(); d != b {
		t.Fatal("Acquire did not reuse the released cell")
	}
	th.End()
}

// periodicTimer returns a timerfd that expires every millisecond, closed when the test
// ends.
func periodicTimer(t *testing.T) uintptr {
	t.Helper()
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_CLOEXEC, 0)
	if errno != 0 {
		t.Fatalf("timerfd_create: %v", errno)
	}
	t.Cleanup(func() { syscall.Close(int(fd)) })
	var spec [4]int64 // periodic, 1 ms
	spec[1], spec[3] = int64(time.Millisecond), int64(time.Millisecond)
	if _, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		t.Fatalf("timerfd_settime: %v", errno)
	}
	return fd
}
