package vm

import (
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const haveWatchdog = true

// watchdog is a timerfd that a goroutine reads into the epoch's storage: when
// it expires, the kernel writes the expiration count (a positive number) there.
// The read needs no P, so it lands while every P runs guest code.
type watchdog struct {
	fd      int
	stopped atomic.Bool
	done    chan struct{}
}

func startWatchdog(word *uint64, restore func()) (*watchdog, error) {
	const clockMonotonic, tfdCloexec = 1, syscall.O_CLOEXEC
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdCloexec, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	w := &watchdog{fd: int(fd), done: make(chan struct{})}
	// Armed and blocked in its read before any epoch process runs: the reading
	// goroutine may get no P again while processes spin.
	w.arm(2 * TimeSlice)
	ready := make(chan struct{})
	go w.run(word, restore, ready)
	<-ready
	return w, nil
}

// run reads the timerfd into word until close. It signals ready right before
// its first read; the caller then waits for a P while this goroutine keeps the
// one it runs on until it blocks in the read.
//
// After the kernel wrote word, every process yields at each check until
// restore puts the epoch back, which this goroutine does itself right before
// reading again: the epoch clock leaves a written word alone (it advances the
// epoch by compare-and-swap), so no process computes on while no read is
// pending.
func (w *watchdog) run(word *uint64, restore func(), ready chan struct{}) {
	defer close(w.done)
	close(ready)
	for !w.stopped.Load() {
		_, _, errno := syscall.Syscall(syscall.SYS_READ, uintptr(w.fd), uintptr(unsafe.Pointer(word)), 8)
		if errno != 0 && errno != syscall.EINTR && errno != syscall.EAGAIN {
			restore()
			return
		}
		restore()
	}
}

// arm makes the watchdog fire after d unless armed again before.
func (w *watchdog) arm(d time.Duration) {
	if w == nil {
		return
	}
	w.settime(d)
}

func (w *watchdog) settime(d time.Duration) {
	var spec [4]int64 // struct itimerspec: interval, value (seconds, nanoseconds each)
	spec[2], spec[3] = int64(d/time.Second), int64(d%time.Second)
	_, _, _ = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(w.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
}

// close ends the reading goroutine (by making the timer fire) and the timerfd.
func (w *watchdog) close() {
	if w == nil {
		return
	}
	w.stopped.Store(true)
	w.settime(time.Nanosecond)
	<-w.done
	_ = syscall.Close(w.fd)
}
