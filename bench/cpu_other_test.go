//go:build !unix

package bench

import "time"

// processCPU is 0 where the process's CPU time is not read (BenchmarkHTTP then reports
// no cpu-ns/req).
func processCPU() time.Duration { return 0 }
