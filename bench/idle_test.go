package bench

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/vm"
)

// idleCounts are the process counts of BenchmarkIdleMemory; BENCH_IDLE_COUNTS (comma
// separated) overrides them.
func idleCounts(tb testing.TB) []int {
	s := os.Getenv("BENCH_IDLE_COUNTS")
	if s == "" {
		return []int{10_000, 100_000}
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			tb.Fatalf("BENCH_IDLE_COUNTS: bad count %q", f)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkIdleMemory measures the resident memory each idle process adds: n processes
// blocked in receive, the growth of the resident set after a GC divided by n. The
// baseline is n goroutines, each blocked receiving on its own channel. Run it with
// -benchtime=1x, one sub-benchmark per test process: memory freed by an earlier
// sub-benchmark would be reused by the next and hide part of its cost.
func BenchmarkIdleMemory(b *testing.B) {
	g := newGuests(b)
	for _, n := range idleCounts(b) {
		for _, c := range []struct {
			name string
			mod  *vm.Module
		}{{"lunatic-rust", g.rust}, {"lunatic-wat", g.wat}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				var perProc float64
				for b.Loop() {
					base := settledRSS(b)
					procs := make([]*vm.Process, n)
					for i := range procs {
						procs[i] = g.spawn(b, c.mod, "idle")
					}
					awaitWaiting(b, procs)
					perProc = float64(settledRSS(b)-base) / float64(n)
					killAll(procs)
				}
				b.ReportMetric(perProc, "B/proc")
				b.ReportMetric(float64(n), "procs")
			})
		}
		b.Run(fmt.Sprintf("n=%d/go", n), func(b *testing.B) {
			var perProc float64
			for b.Loop() {
				base := settledRSS(b)
				chans := make([]chan struct{}, n)
				started := make(chan struct{})
				for i := range chans {
					ch := make(chan struct{})
					chans[i] = ch
					go func() {
						started <- struct{}{}
						<-ch
					}()
				}
				for range chans {
					<-started
				}
				perProc = float64(settledRSS(b)-base) / float64(n)
				for _, ch := range chans {
					close(ch)
				}
			}
			b.ReportMetric(perProc, "B/proc")
			b.ReportMetric(float64(n), "procs")
		})
	}
}

// settledRSS collects garbage, returns free memory to the OS and reads the resident set.
func settledRSS(tb testing.TB) int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return residentBytes(tb)
}

// residentBytes reads the resident set size of this process from /proc/self/statm.
func residentBytes(tb testing.TB) int64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		tb.Fatalf("read /proc/self/statm: %v", err)
	}
	f := strings.Fields(string(statm))
	if len(f) < 2 {
		tb.Fatalf("unexpected /proc/self/statm: %q", statm)
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		tb.Fatalf("parse /proc/self/statm %q: %v", statm, err)
	}
	return pages * int64(os.Getpagesize())
}
