// Package tickthread starts threads outside the Go runtime that block in reads of a
// timerfd into a word of memory, one read after the other: at each expiry the kernel
// writes the expiration count (a positive number) into the word, which needs no P, no
// goroutine and no scheduler. The vm package's epoch clock uses one (vm/epoch_linux.go
// says why); so do the scheduler package's tests, to tick the way the runtime does.
// Only Linux amd64 has them; elsewhere Start fails and callers read with goroutines.
package tickthread

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Supported reports whether Start can start a thread here.
const Supported = true

// cloneReader is in tickthread_linux_amd64.s.
func cloneReader(fd int32, word *uint64, stop *uint32, stack uintptr, tid *int32, table *Table) int64

// Thread is a thread outside the Go runtime that blocks in reads of a timerfd into a
// word, one after the other.
type Thread struct {
	stop  atomic.Uint32
	tid   atomic.Int32 // the thread's id while it lives; the kernel clears it when it ends
	stack [64]uint64   // the kernel wants one; the thread pushes nothing on it
	word  *uint64      // where the thread reads to (kept reachable, see liveReaders)
	table *Table       // the cells it goes through after each read (nil: none)
}

// liveReaders holds every thread that has not ended, and so the memory the kernel writes
// for it (the word it reads into, its tid and stack): the garbage collector does not see
// the thread's registers, and a word whose owner was dropped without ending the thread
// must not be reused while a last expiry can still land there.
var liveReaders struct {
	sync.Mutex
	m map[*Thread]struct{}
}

// Start starts a thread reading fd (a timerfd) into word and, after each read, storing
// PreemptBound through the cells of table (nil: no table).
func Start(fd int, word *uint64, table *Table) (*Thread, error) {
	t := &Thread{word: word, table: table}
	liveReaders.Lock()
	defer liveReaders.Unlock()
	top := uintptr(unsafe.Pointer(&t.stack[len(t.stack)-1])) &^ 15
	if r := cloneReader(int32(fd), word, (*uint32)(unsafe.Pointer(&t.stop)), top, (*int32)(unsafe.Pointer(&t.tid)), table); r < 0 {
		return nil, fmt.Errorf("clone: %w", syscall.Errno(-r))
	}
	if liveReaders.m == nil {
		liveReaders.m = make(map[*Thread]struct{})
	}
	liveReaders.m[t] = struct{}{}
	return t, nil
}

// End makes the thread exit after its current read, and waits until it has: the caller
// must have armed the timer so that the read completes.
func (t *Thread) End() {
	t.stop.Store(1)
	for {
		tid := t.tid.Load()
		if tid == 0 {
			liveReaders.Lock()
			delete(liveReaders.m, t)
			liveReaders.Unlock()
			return
		}
		const futexWait = 0
		_, _, _ = syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(&t.tid)), futexWait, uintptr(tid), 0, 0, 0)
	}
}

// Running reports whether the thread has not exited yet.
func (t *Thread) Running() bool { return t.tid.Load() != 0 }
