package bench

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// Targets of BenchmarkMaxProcesses; BENCH_MAX_WAT, BENCH_MAX_RUST and BENCH_MAX_SECONDS
// override them.
const (
	maxWAT     = 1_000_000
	maxRust    = 250_000
	maxSeconds = 150
	// memFloor is the memory left available to the machine: spawning stops below it. It
	// covers a batch's memory plus its page tables (a first version with 2 GiB and
	// batches of 10,000 was OOM-killed on a 24 GiB machine).
	memFloor = 3 << 30
	// batchSize is how many processes are spawned between two looks at the memory.
	batchSize = 2_000
)

// BenchmarkMaxProcesses spawns WAT and then Rust-guest processes that block in receive,
// all alive at once, until the targets (1,000,000 WAT and 250,000 Rust), a time bound,
// or the memory the machine has available (less memFloor) stop it. It reports how many
// of each were live together, the resident memory of the whole test process, the
// seconds it took, and why it stopped (stop: 0 reached, 1 memory, 2 time, 3 spawn
// failed). Run with -benchtime=1x, alone in its test process.
func BenchmarkMaxProcesses(b *testing.B) {
	g := newGuests(b)
	targets := []struct {
		name string
		mod  *vm.Module
		n    int
	}{
		{"wat", g.wat, envInt(b, "BENCH_MAX_WAT", maxWAT)},
		{"rust", g.rust, envInt(b, "BENCH_MAX_RUST", maxRust)},
	}
	limit := time.Duration(envInt(b, "BENCH_MAX_SECONDS", maxSeconds)) * time.Second
	for b.Loop() {
		base := settledRSS(b)
		// Collect garbage before the machine runs short, not at twice the live heap.
		if avail := memAvailable(b); avail > memFloor {
			old := debug.SetMemoryLimit(int64(avail - memFloor/2))
			defer debug.SetMemoryLimit(old)
		}
		start := time.Now()
		var all []*vm.Process
		live := map[string]int{}
		stop := 0
	spawning:
		for _, t := range targets {
			for live[t.name] < t.n {
				if time.Since(start) > limit {
					stop = 2
					break spawning
				}
				if memAvailable(b) < memFloor {
					stop = 1
					break spawning
				}
				batch := min(batchSize, t.n-live[t.name])
				procs, ok := spawnIdle(g, t.mod, batch)
				// A spawned process touches its memory only as it runs: wait until the
				// batch is blocked in receive so the next look at the memory sees it.
				awaitWaiting(b, procs)
				all = append(all, procs...)
				live[t.name] += len(procs)
				if !ok {
					stop = 3
					break spawning
				}
			}
		}
		awaitWaiting(b, all)
		rss := residentBytes(b) - base
		elapsed := time.Since(start)
		b.ReportMetric(float64(live["wat"]), "wat-procs")
		b.ReportMetric(float64(live["rust"]), "rust-procs")
		b.ReportMetric(float64(rss), "rss-bytes")
		b.ReportMetric(elapsed.Seconds(), "seconds")
		b.ReportMetric(float64(stop), "stop")
		killAll(all)
	}
}

// spawnIdle spawns n idle processes of mod from two goroutines; ok is false if a spawn
// failed (the processes spawned so far are returned).
func spawnIdle(g *guests, mod *vm.Module, n int) ([]*vm.Process, bool) {
	const workers = 2
	out := make([][]*vm.Process, workers)
	fails := make([]bool, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				p, err := g.env.Spawn(g.ctx(), g.idleOptions(mod))
				if err != nil {
					fails[w] = true
					return
				}
				out[w] = append(out[w], p)
			}
		})
	}
	wg.Wait()
	var all []*vm.Process
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all, !fails[0] && !fails[1]
}

// memAvailable is MemAvailable of /proc/meminfo, in bytes.
func memAvailable(tb testing.TB) uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		tb.Fatalf("read /proc/meminfo: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("parse MemAvailable %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	tb.Fatal("no MemAvailable in /proc/meminfo")
	return 0
}

func envInt(tb testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		tb.Fatalf("%s: bad number %q", name, s)
	}
	return n
}
