//go:build linux || darwin || freebsd

package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPUTime returns the CPU time the whole test process has used (every thread,
// user and system), and true. Unlike wall time it does not grow while other programs
// hold the CPU, so A/B comparisons on a busy machine read it.
func processCPUTime() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
