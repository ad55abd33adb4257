package vm

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

const haveWatchdog = true

// watchdog is the epoch clock on Linux: a thread blocks in reads of a timerfd
// into the epoch's storage. When the timer expires the kernel completes the
// read, writing the expiration count (a positive number) into the epoch: that
// needs no P, so it lands while every P runs guest code (spinning processes, or
// a garbage collection waiting to stop the world). Normal epochs are negative,
// so then every deadline has passed and every process yields at its next
// check, which frees the Ps. A Go timer could not do this: it fires only on a P
// that schedules, and a P running guest code does not.
//
// The first yield that finds the kernel's write claims the tick (a
// compare-and-swap of the clock state), advances the epoch and arms the timer
// again. The timer is one-shot: where the thread reads, a tick that nobody
// claims, because no process runs, leaves the timer disarmed and the epoch
// positive; the first process that runs again claims it, and the clock costs
// nothing while the runtime is idle.
//
// On amd64 the reading thread is one the Go runtime does not know
// (internal/tickthread): it reads, and reads again, and needs neither a P
// nor the Go scheduler. A goroutine's read would be a system call holding a P:
// the runtime's sysmon then cannot sleep, retakes that P whenever the other Ps
// are busy, and every retake sets it polling every 20 µs again, which in a
// remote ping-pong cost about a quarter of a thread switch per round trip on
// each side (vm's package doc). Elsewhere, or if the clone fails, goroutines read: one
// whose read completed comes back from its system call into the global run
// queue, behind every runnable process; with thousands of them that took longer
// than a slice, and meanwhile every check of every process yielded (a
// 10,000-process ring never finished starting). So there the claiming yield
// also starts a new reading goroutine, which goes to its own P's next slot, and
// lets it run; the old one, when it gets a P, finds the tick claimed and ends.
// When no process runs, the old one claims the tick itself and reads again.
type watchdog struct {
	fd    int
	word  *uint64
	state *atomic.Int64
	tick  func(int64) time.Duration
	// thread, when set, is the thread that reads (amd64); else goroutines read.
	thread *tickthread.Thread
	// cells (BoundPreemption) are gone through at each tick: by the thread, or by the
	// goroutine that advances the epoch.
	cells *tickthread.Table

	mu      sync.Mutex // stopped, claims' ticks, arming the timer and starting readers
	stopped atomic.Bool
	wg      sync.WaitGroup
}

// startWatchdog starts the clock. Until its first read, processes get passed deadlines.
func startWatchdog(word *uint64, tick func(int64) time.Duration, state *atomic.Int64, cells *tickthread.Table) (*watchdog, error) {
	const clockMonotonic, tfdCloexec = 1, syscall.O_CLOEXEC
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdCloexec, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	w := &watchdog{fd: int(fd), word: word, state: state, tick: tick, cells: cells}
	if t, err := tickthread.Start(w.fd, word, cells); err == nil {
		// The thread is always in its read, or on its way back to it without needing
		// anything from the Go runtime: the reading bit stays set.
		w.thread = t
		state.Or(1)
		w.arm(TimeSlice)
		return w, nil
	}
	w.arm(TimeSlice)
	w.mu.Lock()
	w.startReader()
	w.mu.Unlock()
	return w, nil
}

// startReader starts a reading goroutine (w.mu held).
func (w *watchdog) startReader() {
	if w.stopped.Load() {
		return
	}
	w.wg.Add(1)
	go w.read()
}

// claim advances the epoch if the kernel has written it and nobody did yet, and arms the
// timer again; it reports whether it did, and whether it started the next reading
// goroutine too (where goroutines read: the caller then lets it run). Yields call it
// when they find the epoch positive.
func (w *watchdog) claim() (claimed, reader bool) {
	if w == nil {
		return false, false
	}
	// Only a completed read makes the epoch positive, and only a claim makes it negative
	// again, before the next read is issued.
	s := w.state.Load()
	if s&1 == 0 || int64(atomic.LoadUint64(w.word)) < 0 {
		return false, false
	}
	n := s>>1 + 1
	next := n << 1
	if w.thread != nil {
		next |= 1
	}
	if !w.state.CompareAndSwap(s, next) {
		return false, false
	}
	// Under the mutex: where the thread reads, nothing else orders two claims for the
	// race detector (the next claim waits for the kernel's write, after this one armed
	// the timer), and tick keeps state of its own.
	w.mu.Lock()
	defer w.mu.Unlock()
	d := w.tick(n)
	if w.stopped.Load() {
		return true, false
	}
	w.arm(d)
	if w.thread != nil {
		return true, false
	}
	if w.cells != nil {
		w.cells.Poison()
	}
	w.startReader()
	return true, true
}

// read reads ticks until another goroutine claims one it read.
func (w *watchdog) read() {
	defer w.wg.Done()
	for {
		s, errno := readTick(uintptr(w.fd), w.word, w.state)
		if w.stopped.Load() || (errno != 0 && errno != syscall.EINTR && errno != syscall.EAGAIN) {
			return
		}
		if errno != 0 {
			continue // nothing read: read again
		}
		n := s>>1 + 1
		if !w.state.CompareAndSwap(s, n<<1) {
			return // a yield advanced the epoch and started another reader
		}
		d := w.tick(n)
		if w.cells != nil {
			w.cells.Poison()
		}
		w.mu.Lock()
		if !w.stopped.Load() {
			w.arm(d) // not after close has set the timer that ends every read
		}
		w.mu.Unlock()
	}
}

// readTick sets the reading bit of the clock's state and blocks in the read that the
// kernel completes at the next tick; it returns the state with the bit. It is nosplit,
// so the goroutine cannot be preempted between the two (a nosplit function has no safe
// point, and syscall.Syscall and the runtime's entersyscall are nosplit too): once the
// bit is set the read is issued, and the next tick lands without a P. Preempted there,
// the goroutine could wait for a P held by a process that was given a future deadline
// on the strength of that bit, forever.
//
//go:nosplit
//go:noinline
func readTick(fd uintptr, word *uint64, state *atomic.Int64) (int64, syscall.Errno) {
	s := state.Or(1) | 1
	_, _, errno := syscall.Syscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(word)), 8)
	return s, errno
}

// arm makes the watchdog fire after d unless armed again before.
func (w *watchdog) arm(d time.Duration) {
	if w == nil {
		return
	}
	w.settime(d)
}

// hurry makes the timer fire at once (epochClock.hurry), unless the clock has stopped.
// A tick that was already due reads as one more, which a claim handles as any other.
func (w *watchdog) hurry() {
	if w == nil {
		return
	}
	w.mu.Lock()
	if !w.stopped.Load() {
		w.settime(time.Microsecond)
	}
	w.mu.Unlock()
}

// settime is a raw system call (it does not block): an ordinary one enters the Go
// scheduler, and the first after an idle spell wakes sysmon (see watchdog).
func (w *watchdog) settime(d time.Duration) {
	var spec [4]int64 // struct itimerspec: interval, value (seconds, nanoseconds each)
	spec[2], spec[3] = int64(d/time.Second), int64(d%time.Second)
	_, _, _ = syscall.RawSyscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(w.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
}

// close ends the reading thread or goroutines (by making the timer fire every
// millisecond until they have all seen stopped) and the timerfd.
func (w *watchdog) close() {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.stopped.Store(true)
	var spec [4]int64 // struct itimerspec: interval, value (seconds, nanoseconds each)
	spec[1], spec[3] = int64(time.Millisecond), int64(time.Millisecond)
	_, _, _ = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(w.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
	w.mu.Unlock()
	if w.thread != nil {
		w.thread.End()
	}
	w.wg.Wait()
	_ = syscall.Close(w.fd)
}
