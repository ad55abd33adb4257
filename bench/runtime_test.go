package bench

import (
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
	"github.com/tetratelabs/wazero/api"
)

// Guest files, relative to the package directory.
const (
	rustGuest = "testdata/benchguest.wasm" // Rust, 17 pages
	watGuest  = "testdata/bench.wasm"      // WAT, 1 page
	// Rust, dev profile (as `cargo run` builds it), 17 pages, 9,861 functions, a table of
	// 1,103 entries: the spawn entries of rustGuest inside a large program.
	rustDebugGuest = "testdata/benchguest-debug.wasm"
)

// guests is a runtime with every host module and fuel metering on (what `lunatic run`
// uses), the two benchmark guests compiled, and one environment to spawn into.
type guests struct {
	rt        *vm.Runtime
	env       *vm.Environment
	rust, wat *vm.Module
	cfg       *permissions.ProcessConfig
}

func newGuests(tb testing.TB) *guests {
	tb.Helper()
	rt := hostfuncstest.New(tb)
	return &guests{
		rt:   rt,
		env:  rt.NewEnvironment(1),
		rust: hostfuncstest.Load(tb, rt, rustGuest),
		wat:  hostfuncstest.Load(tb, rt, watGuest),
		cfg:  permissions.Root(nil, nil, nil),
	}
}

// spawn starts entry(args...) of mod; every argument is an i64.
func (g *guests) spawn(tb testing.TB, mod *vm.Module, entry string, args ...uint64) *vm.Process {
	types := make([]api.ValueType, len(args))
	for i := range types {
		types[i] = api.ValueTypeI64
	}
	p, err := g.env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: g.cfg, Entry: entry,
		ParamTypes: types, Params: args,
		Stdout: io.Discard, Stderr: io.Discard,
	})
	if err != nil {
		tb.Fatalf("spawn %s: %v", entry, err)
	}
	return p
}

// ctx is the context spawns from the host use.
func (g *guests) ctx() context.Context { return context.Background() }

// idleOptions describe an "idle" process of mod.
func (g *guests) idleOptions(mod *vm.Module) vm.SpawnOptions {
	return vm.SpawnOptions{Module: mod, Config: g.cfg, Entry: "idle", Stdout: io.Discard, Stderr: io.Discard}
}

// run spawns entry(args...) of mod and waits until it ended normally.
func (g *guests) run(tb testing.TB, mod *vm.Module, entry string, args ...uint64) {
	tb.Helper()
	wait(tb, g.spawn(tb, mod, entry, args...))
}

// wait waits for p to end and fails unless it ended normally.
func wait(tb testing.TB, p *vm.Process) {
	tb.Helper()
	<-p.Done()
	if err := p.Death(); err != nil {
		tb.Fatalf("process %d (%s) failed: %v", p.ID(), p.Entry(), err)
	}
}

// sendU64 sends v to process id as the guests encode a u64 (8 bytes, little endian).
func (g *guests) sendU64(id, v uint64) {
	m := vm.NewDataMessage(0, 8)
	m.Data = binary.LittleEndian.AppendUint64(m.Data, v)
	g.env.Send(id, m)
}

// awaitWaiting returns once every process is blocked in receive. The runtime offers no
// event for that, so it polls; benchmarks call it with the timer stopped.
func awaitWaiting(tb testing.TB, procs []*vm.Process) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for _, p := range procs {
		for p.State() != vm.StateWaiting {
			select {
			case <-p.Done():
				tb.Fatalf("process %d ended before blocking in receive: %v", p.ID(), p.Death())
			case <-time.After(100 * time.Microsecond):
			}
			if time.Now().After(deadline) {
				tb.Fatalf("process %d did not block in receive", p.ID())
			}
		}
	}
}

// killAll kills the processes and waits until they are gone.
func killAll(procs []*vm.Process) {
	for _, p := range procs {
		p.Kill(vm.ErrKilled)
	}
	for _, p := range procs {
		<-p.Done()
	}
}

// cpuMeter reports the process CPU time per operation ("cpu-ns/op") next to a
// benchmark's wall time: start it after the untimed setup, stop it at the end.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	t, ok := processCPUTime()
	return cpuMeter{start: t, ok: ok}
}

// report adds the cpu-ns/op metric (per op of b.N, or per unit of n when n > 0).
func (c cpuMeter) report(b *testing.B, n float64, unit string) {
	end, ok := processCPUTime()
	if !c.ok || !ok {
		return
	}
	if n <= 0 {
		n = float64(b.N)
	}
	b.ReportMetric(float64(end-c.start)/n, unit)
}
