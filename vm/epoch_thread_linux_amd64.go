package vm

import (
	"fmt"
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
}

// startReaderThread starts the thread reading fd into word.
func startReaderThread(fd int, word *uint64) (*readerThread, error) {
	t := new(readerThread)
	top := uintptr(unsafe.Pointer(&t.stack[len(t.stack)-1])) &^ 15
	if r := cloneReader(int32(fd), word, (*uint32)(unsafe.Pointer(&t.stop)), top, (*int32)(unsafe.Pointer(&t.tid))); r < 0 {
		return nil, fmt.Errorf("clone: %w", syscall.Errno(-r))
	}
	return t, nil
}

// end makes the thread exit after its current read (the caller has armed the timer to
// complete it) and waits until it has.
func (t *readerThread) end() {
	t.stop.Store(1)
	for {
		tid := t.tid.Load()
		if tid == 0 {
			return
		}
		const futexWait = 0
		_, _, _ = syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(&t.tid)), futexWait, uintptr(tid), 0, 0, 0)
	}
}

// running reports whether the thread has not exited yet.
func (t *readerThread) running() bool { return t.tid.Load() != 0 }
