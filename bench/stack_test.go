package bench

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/vm"
)

// BenchmarkStackOverflowMemory measures the resident memory of processes that recurse
// until their wasm stack runs out, all spawned at once: the peak of the resident set
// over what it was before the spawns, per process, sampled every millisecond until the
// last one died. "bounded" is the default stack bound (vm.DefaultMaxStack, charged to
// max_memory); "unbounded" lifts it to 1 TiB, which leaves only wazero's own ceiling,
// as before the bound existed. Run it with -benchtime=1x in its own test process.
//
// BENCH_STACK_N overrides the process count of the bounded case (default 64; the
// unbounded case runs an eighth as many: 64 of them would take ~8 GiB).
func BenchmarkStackOverflowMemory(b *testing.B) {
	n := 64
	if s := os.Getenv("BENCH_STACK_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("BENCH_STACK_N: bad count %q", s)
		}
		n = v
	}
	wasm, err := os.ReadFile("testdata/overflow.wasm")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		bound uint64
		n     int
	}{{"bounded", 0, n}, {"unbounded", 1 << 40, max(n/8, 1)}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			rt, err := vm.New(ctx, vm.Options{Instrument: hostfuncstest.Instrument, MaxStack: c.bound})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Close(ctx)
			mod, err := rt.Compile(ctx, "overflow", wasm)
			if err != nil {
				b.Fatal(err)
			}
			env := rt.NewEnvironment(1)
			var over, perProc float64
			for b.Loop() {
				before := settledRSS(b)
				var peak atomic.Int64
				stop := make(chan struct{})
				sampled := make(chan struct{})
				go func() {
					defer close(sampled)
					t := time.NewTicker(time.Millisecond)
					defer t.Stop()
					for {
						peak.Store(max(peak.Load(), residentBytes(b)))
						select {
						case <-t.C:
						case <-stop:
							return
						}
					}
				}()
				procs := make([]*vm.Process, c.n)
				for i := range procs {
					procs[i], err = env.Spawn(ctx, vm.SpawnOptions{Module: mod, Entry: "deep", Stdout: io.Discard, Stderr: io.Discard})
					if err != nil {
						b.Fatal(err)
					}
				}
				for _, p := range procs {
					<-p.Done()
					if err := p.Death(); err == nil || !strings.Contains(err.Error(), "stack overflow") {
						b.Fatalf("process %d: %v, want a stack overflow", p.ID(), err)
					}
				}
				close(stop)
				<-sampled
				over = float64(peak.Load()-before) / (1 << 20)
				perProc = over / float64(c.n)
			}
			b.ReportMetric(over, "MiB_peak_over_before")
			b.ReportMetric(perProc, "MiB/proc")
			b.ReportMetric(float64(c.n), "procs")
		})
	}
}
