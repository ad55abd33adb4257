//go:build !linux && !darwin && !freebsd && !windows

package scheduler

import "time"

// threadCPUTime falls back to wall time where no per-thread clock is used.
func threadCPUTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
