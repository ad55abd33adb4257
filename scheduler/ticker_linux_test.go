package scheduler

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

// startTicker advances the epoch at *word every interval, counting in *ticks, until
// the returned clock is stopped; the clock's threaded field reports whether a tick
// thread reads (see below). A goroutine on a Go timer cannot do it: it needs a P, and
// while a guest spins waiting for the epoch on one P and the Go runtime waits for that P to
// stop the world for a garbage collection, no goroutine gets one: the test hangs (it
// did, in TestEpochSpinYields under -race). So, like the vm package's clock, a
// goroutine blocks in a read of a periodic timerfd into the epoch itself: the kernel
// completes the read with the expiration count, a positive number, which passes every
// (negative) deadline without any goroutine running; the guest yields, which lets the
// world stop. The yield claims the tick, as the runtime's do: it stores the next epoch.
// Until the goroutine, once it has a P again, reads again, *reading is 0 and yields give
// passed deadlines, since only a yield can then stop the guest. On amd64 the reader is
// the runtime's own kind of thread (internal/tickthread), which reads again at once
// without a P, so yields only claim: the goroutine's way to a P cost fib 3–4 % more
// in BenchmarkSlowdown than the runtime's clock costs it.
func startTicker(word *uint64, ticks *atomic.Int64, reading *uint32, interval time.Duration, table *tickthread.Table) (*clock, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	var spec [4]int64 // struct itimerspec: interval, first expiry (seconds, nanoseconds each)
	spec[0], spec[1] = int64(interval/time.Second), int64(interval%time.Second)
	spec[2], spec[3] = spec[0], spec[1]
	arm := func(spec *[4]int64) syscall.Errno {
		_, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(spec)), 0, 0, 0)
		return errno
	}
	if errno := arm(&spec); errno != 0 {
		syscall.Close(int(fd))
		return nil, fmt.Errorf("timerfd_settime: %w", errno)
	}
	// A paused clock's timer is disarmed: its reader waits in its read until it runs
	// again. It runs again at a random phase: its first tick comes after a random part
	// of an interval, as the runtime's global clock ticks at no particular point of a
	// process's run (a run shorter than an interval would otherwise never see a tick).
	// Stop restarts it first, so that the read it waits for ends.
	var paused [4]int64
	pause := func(p bool) {
		s := paused
		if !p {
			s = spec
			first := 1 + rand.Int64N(int64(interval))
			s[2], s[3] = first/int64(time.Second), first%int64(time.Second)
		}
		if errno := arm(&s); errno != 0 {
			panic(fmt.Sprintf("timerfd_settime: %v", errno))
		}
	}
	if th, err := tickthread.Start(int(fd), word, table); err == nil {
		// As in the runtime on amd64: a thread outside the Go runtime reads, and reads
		// again at once, needing no P: it is always reading, and a yield only claims.
		atomic.StoreUint32(reading, 1)
		return &clock{stop: func() {
			pause(false)
			th.End() // the timer is periodic: the read ends within an interval
			syscall.Close(int(fd))
			atomic.StoreUint64(word, uint64(ticks.Load()))
		}, pause: pause, threaded: true}, nil
	}
	var stopped atomic.Bool
	atomic.StoreUint32(reading, 0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			errno := storeAndRead(fd, word, uint64(ticks.Load()), reading)
			atomic.StoreUint32(reading, 0)
			if stopped.Load() {
				return
			}
			switch errno {
			case 0:
				// Advance the epoch unless a yield has claimed the tick (fuelHost.yield).
				if w := atomic.LoadUint64(word); int64(w) >= 0 {
					atomic.CompareAndSwapUint64(word, w, uint64(ticks.Add(1)))
				}
				if table != nil {
					table.Poison()
				}
			case syscall.EINTR, syscall.EAGAIN:
			default:
				panic(fmt.Sprintf("read timerfd: %v", errno))
			}
		}
	}()
	// The goroutine starts in this P's next slot. Return only once it reads: a guest the
	// caller then runs would hold the P, and if no other P took the goroutine before a
	// garbage collection asked every P to stop, it never would (that hung too).
	for atomic.LoadUint32(reading) == 0 {
		runtime.Gosched()
	}
	return &clock{stop: func() {
		pause(false)
		stopped.Store(true)
		<-done // the timer is periodic: the read ends within an interval
		syscall.Close(int(fd))
		atomic.StoreUint64(word, uint64(ticks.Load()))
		atomic.StoreUint32(reading, 1) // deadlines are plain again
	}, pause: pause}, nil
}

// storeAndRead stores epoch v, sets reading and blocks in the read the kernel completes
// at the next expiry. It is nosplit, so no stop of the world lands between the store and
// the read: a guest given the deadline v+1 could wait for the read for ever.
//
//go:nosplit
//go:noinline
func storeAndRead(fd uintptr, word *uint64, v uint64, reading *uint32) syscall.Errno {
	atomic.StoreUint64(word, v)
	atomic.StoreUint32(reading, 1)
	_, _, errno := syscall.Syscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(word)), 8)
	return errno
}
