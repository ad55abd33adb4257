//go:build linux || darwin || freebsd

package scheduler

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPUTime returns the CPU time consumed by the calling OS thread. The
// benchmarks lock their goroutine to its thread and compare CPU times, which
// (unlike wall time) do not grow while other processes hold the CPU.
func threadCPUTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}
