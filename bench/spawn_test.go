package bench

import (
	"fmt"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/vm"
)

// BenchmarkSpawn measures spawning a process and seeing it run: a guest process spawns
// child(parent) through lunatic::process::spawn and waits for the child's first message,
// b.N times. The baseline is `go` plus a channel send from the new goroutine.
// lunatic-rust-debug does the same from the debug-profile guest (thousands of functions,
// a table of a thousand entries); its figure is judged against lunatic-rust's.
func BenchmarkSpawn(b *testing.B) {
	g := newGuests(b)
	debug := hostfuncstest.Load(b, g.rt, rustDebugGuest)
	for _, c := range []struct {
		name string
		mod  *vm.Module
	}{{"lunatic-rust", g.rust}, {"lunatic-wat", g.wat}, {"lunatic-rust-debug", debug}} {
		b.Run(c.name, func(b *testing.B) {
			b.ResetTimer()
			cpu := startCPU()
			g.run(b, c.mod, "spawner", uint64(b.N))
			cpu.report(b, 0, "cpu-ns/op")
		})
	}
	b.Run("go", func(b *testing.B) {
		ch := make(chan struct{})
		for b.Loop() {
			go func() { ch <- struct{}{} }()
			<-ch
		}
	})
}

// BenchmarkSpawnExit measures how many processes are started and finished per second
// with at most 1 or 64 in flight: the host spawns noop processes and waits for each to
// be gone (instance closed, memory back in the pool). The baseline does the same with
// goroutines that close a done channel.
func BenchmarkSpawnExit(b *testing.B) {
	g := newGuests(b)
	for _, inflight := range []int{1, 64} {
		for _, c := range []struct {
			name string
			mod  *vm.Module
		}{{"lunatic-rust", g.rust}, {"lunatic-wat", g.wat}} {
			b.Run(fmt.Sprintf("inflight=%d/%s", inflight, c.name), func(b *testing.B) {
				window := make([]*vm.Process, inflight)
				i := 0
				cpu := startCPU()
				for b.Loop() {
					if p := window[i]; p != nil {
						wait(b, p)
					}
					window[i] = g.spawn(b, c.mod, "noop")
					i = (i + 1) % inflight
				}
				for _, p := range window {
					if p != nil {
						wait(b, p)
					}
				}
				cpu.report(b, 0, "cpu-ns/op")
				reportRate(b, "procs/s")
			})
		}
		b.Run(fmt.Sprintf("inflight=%d/go", inflight), func(b *testing.B) {
			window := make([]chan struct{}, inflight)
			i := 0
			for b.Loop() {
				if d := window[i]; d != nil {
					<-d
				}
				d := make(chan struct{})
				go func() { close(d) }()
				window[i] = d
				i = (i + 1) % inflight
			}
			for _, d := range window {
				if d != nil {
					<-d
				}
			}
			reportRate(b, "procs/s")
		})
	}
}

// reportRate reports b.N per second of measured time.
func reportRate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}
