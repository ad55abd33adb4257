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
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_CLOEXEC, 0)
	if errno != 0 {
		t.Fatalf("timerfd_create: %v", errno)
	}
	defer syscall.Close(int(fd))
	var spec [4]int64 // periodic, 1 ms
	spec[1], spec[3] = int64(time.Millisecond), int64(time.Millisecond)
	if _, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		t.Fatalf("timerfd_settime: %v", errno)
	}
	word := new(uint64)
	atomic.StoreUint64(word, 1<<63)
	th, err := Start(int(fd), word)
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
