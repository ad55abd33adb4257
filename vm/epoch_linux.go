package vm

import (
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const haveWatchdog = true

// watchdog is the epoch clock on Linux: a goroutine reads a timerfd into the
// epoch's storage. When the timer expires the kernel completes the read,
// writing the expiration count (a positive number) into the epoch: that needs
// no P, so it lands while every P runs guest code (spinning processes, or a
// garbage collection waiting to stop the world). Normal epochs are negative,
// so then every deadline has passed and every process yields at its next
// check, which frees the Ps; the goroutine, back on one, advances the epoch
// (tick), arms the timer for the next tick and reads again. A Go timer could
// not do this: it fires only on a P that schedules, and a P running guest code
// does not.
type watchdog struct {
	fd      int
	stopped atomic.Bool
	done    chan struct{}
}

// startWatchdog starts the clock. It returns once the goroutine is about to
// block in its first read (it keeps its P until then, so no process runs
// before).
func startWatchdog(word *uint64, tick func() time.Duration, reading *atomic.Bool) (*watchdog, error) {
	const clockMonotonic, tfdCloexec = 1, syscall.O_CLOEXEC
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdCloexec, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	w := &watchdog{fd: int(fd), done: make(chan struct{})}
	w.arm(TimeSlice)
	ready := make(chan struct{})
	go w.run(word, tick, reading, ready)
	<-ready
	return w, nil
}

func (w *watchdog) run(word *uint64, tick func() time.Duration, reading *atomic.Bool, ready chan struct{}) {
	defer close(w.done)
	reading.Store(true)
	close(ready)
	for {
		_, _, errno := syscall.Syscall(syscall.SYS_READ, uintptr(w.fd), uintptr(unsafe.Pointer(word)), 8)
		reading.Store(false)
		d := tick() // puts a normal epoch back
		if w.stopped.Load() || (errno != 0 && errno != syscall.EINTR && errno != syscall.EAGAIN) {
			return
		}
		w.arm(d)
		reading.Store(true)
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
