package vm

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// cloneReader is in epoch_thread_linux_amd64.s.
func cloneReader(fd int32, word *uint64, stop *uint32, stack uintptr, tid *int32) int64

// readerThread is a thread outside the Go runtime that blocks in reads of the watchdog's
// timerfd into the epoch's storage, one after the other (see watchdog).
type readerThread struct {
	stop  atomic.Uint32
	tid   atomic.Int32 // the thread's id while it lives; the kernel clears it when it ends
	stack [64]uint64   // the kernel wants one; the thread pushes nothing on it
	word  *uint64      // where the thread reads to (kept reachable, see liveReaders)
}

// liveReaders holds every reader thread that has not ended, and so the memory the kernel
// writes for it (the epoch it reads into, its tid and stack): the garbage collector does
// not see the thread's registers, and a Runtime dropped without Close must not have its
// epoch's storage reused while a last tick can still land there.
var liveReaders struct {
	sync.Mutex
	m map[*readerThread]struct{}
}

// startReaderThread starts the thread reading fd into word.
func startReaderThread(fd int, word *uint64) (*readerThread, error) {
	t := &readerThread{word: word}
	liveReaders.Lock()
	defer liveReaders.Unlock()
	top := uintptr(unsafe.Pointer(&t.stack[len(t.stack)-1])) &^ 15
	if r := cloneReader(int32(fd), word, (*uint32)(unsafe.Pointer(&t.stop)), top, (*int32)(unsafe.Pointer(&t.tid))); r < 0 {
		return nil, fmt.Errorf("clone: %w", syscall.Errno(-r))
	}
	if liveReaders.m == nil {
		liveReaders.m = make(map[*readerThread]struct{})
	}
	liveReaders.m[t] = struct{}{}
	return t, nil
}

// end makes the thread exit after its current read (the caller has armed the timer to
// complete it) and waits until it has.
func (t *readerThread) end() {
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

// running reports whether the thread has not exited yet.
func (t *readerThread) running() bool { return t.tid.Load() != 0 }
