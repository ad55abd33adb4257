package linmem

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// instantiator starts one instance of a compiled module and returns a
// function that closes it.
type instantiator func(tb testing.TB) func()

func defaultInstantiator(r wazero.Runtime, cm wazero.CompiledModule) instantiator {
	cfg := wazero.NewModuleConfig().WithName("")
	return func(tb testing.TB) func() {
		ctx := context.Background()
		mod, err := r.InstantiateModule(ctx, cm, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		return func() { _ = mod.Close(ctx) }
	}
}

func poolInstantiator(r wazero.Runtime, cm wazero.CompiledModule, p *Pool) instantiator {
	cfg := wazero.NewModuleConfig().WithName("")
	return func(tb testing.TB) func() {
		ctx := context.Background()
		a := p.Allocator(1<<32 - 1)
		mod, err := Instantiate(ctx, r, cm, cfg, a)
		if err != nil {
			tb.Fatal(err)
		}
		return func() { closeAndRelease(ctx, mod, a) }
	}
}

func closeAndRelease(ctx context.Context, mod api.Module, a *Allocator) {
	_ = mod.Close(ctx)
	a.Release()
}

func benchInstantiators(b *testing.B, run func(*testing.B, instantiator)) {
	r, cm := compile(b, "bench17")
	b.Run("default", func(b *testing.B) { run(b, defaultInstantiator(r, cm)) })
	b.Run("pool", func(b *testing.B) {
		p := NewPool(Config{})
		defer p.Close()
		run(b, poolInstantiator(r, cm, p))
	})
}

// BenchmarkInstantiateClose measures spawn-and-exit of a 17-page module.
func BenchmarkInstantiateClose(b *testing.B) {
	benchInstantiators(b, func(b *testing.B, start instantiator) {
		b.ReportAllocs()
		for b.Loop() {
			start(b)()
		}
	})
}

// BenchmarkLiveHeap reports the Go heap held per live 17-page instance with
// 10 000 instances alive, and the growth of the resident set per instance
// (run with -benchtime=1x).
func BenchmarkLiveHeap(b *testing.B) {
	const live = 10_000
	benchInstantiators(b, func(b *testing.B, start instantiator) {
		closers := make([]func(), 0, live)
		var heap, rss float64
		for b.Loop() {
			heap0, rss0 := heapInUse(), residentBytes(b)
			for range live {
				closers = append(closers, start(b))
			}
			heap = float64(heapInUse()-heap0) / live
			rss = float64(residentBytes(b)-rss0) / live
			for _, c := range closers {
				c()
			}
			closers = closers[:0]
		}
		b.ReportMetric(heap, "heapB/instance")
		b.ReportMetric(rss, "rssB/instance")
	})
}

func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// residentBytes reads the process's resident set size from /proc.
func residentBytes(tb testing.TB) int64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		tb.Fatalf("read /proc/self/statm: %v", err)
	}
	fields := strings.Fields(string(statm))
	if len(fields) < 2 {
		tb.Fatalf("unexpected statm %q", statm)
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		tb.Fatalf("parse statm %q: %v", statm, err)
	}
	return pages * int64(os.Getpagesize())
}

// BenchmarkScrubModes compares the two ways a hand scrub finds the pages to clear, for
// regions shaped like the bench guests' (WAT: 16 OS pages, the first touched; Rust: 272,
// four touched at the stack's top): mincore every time, or the remembered runs
// (scrubRuns, mincore every relearnEvery scrubs).
func BenchmarkScrubModes(b *testing.B) {
	for _, c := range []struct {
		name  string
		pages uint64
		touch []int
	}{{"wat", 16, []int{0}}, {"rust", 272, []int{255, 256, 257, 258}}} {
		for _, mode := range []string{"mincore", "runs"} {
			b.Run(c.name+"/"+mode, func(b *testing.B) {
				p := NewPool(Config{Reserve: 1 << 30, MaxIdle: 4})
				defer p.Close()
				p.scrubByHand = true
				r, err := p.acquire(classOf(c.pages * osPage))
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					for _, pg := range c.touch {
						r.mem[uint64(pg)*osPage] = 1
					}
					r.dirty = c.pages * osPage
					if mode == "mincore" {
						r.known = false
					}
					if err := p.scrub(r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
