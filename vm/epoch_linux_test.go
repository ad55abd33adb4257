package vm

import (
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestWatchdogTicks runs the watchdog on a word of its own, with one P held by a
// goroutine that spins on the word: the kernel's write must land (no goroutine of the
// watchdog can run meanwhile where the thread reads), a claim must advance the epoch and
// arm the timer for the next write, a tick nobody claims must leave the epoch positive,
// and close must end the reader (on amd64, the thread: the kernel clears its id).
func TestWatchdogTicks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var word uint64
	var state atomic.Int64
	atomic.StoreUint64(&word, epochValue(0))
	var ticked []int64
	w, err := startWatchdog(&word, func(n int64) time.Duration {
		ticked = append(ticked, n)
		atomic.StoreUint64(&word, epochValue(n))
		return time.Millisecond
	}, &state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOARCH == "amd64" && w.thread == nil {
		t.Fatal("no reader thread on amd64")
	}
	// awaitWrite spins on the word until the kernel has written a tick (the watchdog's
	// goroutine, where goroutines read, gets the P when the Go runtime preempts this one).
	awaitWrite := func(what string) {
		t.Helper()
		limit := time.Now().Add(10 * time.Second)
		for int64(atomic.LoadUint64(&word)) < 0 {
			if time.Now().After(limit) {
				t.Fatalf("%s: no tick written in 10 s (epoch %d)", what, int64(atomic.LoadUint64(&word)-epochValue(0)))
			}
		}
	}
	for i := int64(1); i <= 3; i++ {
		awaitWrite("tick")
		if w.thread != nil {
			if state.Load()&1 == 0 {
				t.Fatal("the reading bit is clear while the thread reads")
			}
			if claimed, reader := w.claim(); !claimed || reader {
				t.Fatalf("claim = %v, %v; want claimed, no reading goroutine where the thread reads", claimed, reader)
			}
			if claimed, _ := w.claim(); claimed {
				t.Fatal("a second claim of the same tick succeeded")
			}
		} else {
			w.claim() // or the goroutine claimed it
		}
		if got := state.Load() >> 1; got != i {
			t.Fatalf("after claim %d the clock says %d ticks", i, got)
		}
		if got := atomic.LoadUint64(&word); got != epochValue(i) && int64(got) < 0 {
			t.Fatalf("after claim %d the epoch is %d", i, int64(got-epochValue(0)))
		}
	}
	if w.thread != nil {
		// Unclaimed, the next tick stays written and the timer is left disarmed.
		awaitWrite("unclaimed tick")
		var spec [4]int64 // struct itimerspec: interval, value
		if _, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_GETTIME, uintptr(w.fd), uintptr(unsafe.Pointer(&spec)), 0); errno != 0 {
			t.Fatal(errno)
		}
		if spec != [4]int64{} {
			t.Fatalf("the timer is armed (%v) after a tick nobody claimed", spec)
		}
		if state.Load()>>1 != 3 || int64(atomic.LoadUint64(&word)) < 0 {
			t.Fatal("an unclaimed tick was claimed or overwritten")
		}
	}
	w.close()
	if w.thread != nil && w.thread.Running() {
		t.Fatal("the reader thread still runs after close")
	}
}
