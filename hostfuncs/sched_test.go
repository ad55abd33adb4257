package hostfuncs_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

func spawnEntry(t *testing.T, env *vm.Environment, mod *vm.Module, cfg *permissions.ProcessConfig, entry string, types []api.ValueType, params ...uint64) *vm.Process {
	t.Helper()
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{Module: mod, Config: cfg, Entry: entry, ParamTypes: types, Params: params})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	return p
}

func waitDone(t *testing.T, p *vm.Process, what string) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatalf("%s did not end within a minute", what)
	}
}

// TestSpinnerDoesNotStarveOthers runs with one Go thread: a process spinning in a loop
// must not stop a ping-pong pair nor garbage collection, and kill must end it. The
// spinner runs without a fuel limit (the cheap preemption instrumentation) and with one
// (the exact instrumentation).
func TestSpinnerDoesNotStarveOthers(t *testing.T) {
	testSpinnerAmongOthers(t, "spin")
}

// TestRecursiveSpinnerIsPreempted is TestSpinnerDoesNotStarveOthers for a process that
// recurses without a loop: where function entries are preempted through wazero's stack
// bound (vm.BoundPreemption) its code has no check point of its own, and the clock's
// thread must reach it through its worker's cell.
func TestRecursiveSpinnerIsPreempted(t *testing.T) {
	testSpinnerAmongOthers(t, "spin_recursive")
}

// testSpinnerAmongOthers runs entry (a computation without end) beside a ping-pong pair
// on one Go thread, with and without max_fuel: the pair's 2,000 round trips and a
// garbage collection complete, the spinner is charged fuel, and a kill ends it (timed:
// issue 15 asks for a kill to land within a millisecond; the test allows for a loaded
// machine).
func testSpinnerAmongOthers(t *testing.T, entry string) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	for _, maxFuel := range []uint64{0, 1_000_000} {
		t.Run(fmt.Sprintf("max_fuel=%d", maxFuel), func(t *testing.T) {
			env := rt.NewEnvironment(1)
			cfg := permissions.Root(nil, nil, nil)
			spinCfg := cfg.Clone()
			spinCfg.MaxFuel = maxFuel
			spinner := spawnEntry(t, env, mod, spinCfg, entry, nil)
			pong := spawnEntry(t, env, mod, cfg, "pong", nil)
			ping := spawnEntry(t, env, mod, cfg, "ping", []api.ValueType{api.ValueTypeI32, api.ValueTypeI64}, 2000, pong.ID())

			gcDone := make(chan struct{})
			go func() { runtime.GC(); close(gcDone) }()
			select {
			case <-gcDone:
			case <-time.After(time.Minute):
				t.Fatalf("garbage collection did not complete while %s runs", entry)
			}
			waitDone(t, ping, "ping (2000 round trips)")
			if ping.Death() != nil {
				t.Fatalf("ping failed: %v", ping.Death())
			}
			deadline := time.Now().Add(time.Minute)
			for spinner.FuelUsed() == 0 { // charged at a tick it computed across
				select {
				case <-spinner.Done():
					t.Fatalf("spinner ended: %v", spinner.Death())
				default:
				}
				if time.Now().After(deadline) {
					t.Fatal("the spinner was never charged fuel")
				}
				runtime.Gosched()
			}
			start := time.Now()
			spinner.Kill(vm.ErrKilled)
			waitDone(t, spinner, "killed spinner")
			took := time.Since(start)
			if !errors.Is(spinner.Death(), vm.ErrKilled) {
				t.Fatalf("spinner death = %v, want killed", spinner.Death())
			}
			t.Logf("kill to death: %v", took)
			if took > 250*time.Millisecond {
				t.Errorf("the kill took %v to end %s", took, entry)
			}
			pong.Kill(vm.ErrKilled)
			waitDone(t, pong, "pong")
		})
	}
}

// TestEpochManyRunnable runs 2,000 processes that each compute for a few time slices,
// all spawned at once onto one Go thread, with epoch preemption: every one must end. The
// epoch ticks while most of them wait in the run queue; a process must still get some
// work done each time it runs. (bench's TestEpochRingStarts is the case that hung; this
// one, with a WAT guest and one loop, passed before that fix too, in about 9 s.)
func TestEpochManyRunnable(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rt := hostfuncstest.NewWith(t, vm.Options{Instrument: scheduler.InstrumentEpoch, InstrumentExact: scheduler.InstrumentExact})
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.Root(nil, nil, nil)
	const n, iterations = 2000, 1_000_000
	procs := make([]*vm.Process, n)
	for i := range procs {
		procs[i] = spawnEntry(t, env, mod, cfg, "work", []api.ValueType{api.ValueTypeI32}, iterations)
	}
	timeout := time.After(2 * time.Minute)
	for i, p := range procs {
		select {
		case <-p.Done():
			if p.Death() != nil {
				t.Fatalf("process %d: %v", p.ID(), p.Death())
			}
		case <-timeout:
			for _, p := range procs {
				p.Kill(vm.ErrKilled)
			}
			t.Fatalf("%d of %d processes still running after 2 minutes (the first charged %d fuel)", n-i, n, p.FuelUsed())
		}
	}
}

// TestWokenProcessKeepsItsSlice checks that a process woken from a receive after its
// deadline passed does not yield at its next check: it is given the next epoch when it
// gets its thread back. pong_indirect answers each message (to process 0, so the answer
// is dropped) through a call_indirect, a check point that always checks, and goes back to
// receive; before the fix every wake-up after a wait longer than a slice yielded there.
func TestWokenProcessKeepsItsSlice(t *testing.T) {
	rt := hostfuncstest.NewWith(t, vm.Options{Instrument: scheduler.InstrumentEpoch, InstrumentExact: scheduler.InstrumentExact})
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	env := rt.NewEnvironment(1)
	pong := spawnEntry(t, env, mod, permissions.Root(nil, nil, nil), "pong_indirect", nil)
	defer func() {
		pong.Kill(vm.ErrKilled)
		waitDone(t, pong, "pong")
	}()
	const rounds = 20
	timeout := time.Now().Add(time.Minute)
	awaitReceive := func() {
		for pong.State() != vm.StateWaiting {
			if time.Now().After(timeout) {
				t.Fatalf("pong did not block in receive (state %v, death %v)", pong.State(), pong.Death())
			}
			runtime.Gosched()
		}
	}
	for range rounds {
		awaitReceive()
		// Not synchronisation: time passing is the condition. With nothing computing
		// the clock ticks every 10 ms; after 25 ms the deadline pong got at its last
		// check has passed.
		time.Sleep(25 * time.Millisecond)
		env.Send(pong.ID(), vm.NewDataMessage(0, 0))
	}
	awaitReceive()
	// A tick may land while pong runs between the receive and its check: allow a few.
	if y := pong.EpochYields(); y > rounds/4 {
		t.Fatalf("pong yielded %d times in %d wake-ups after its deadline passed", y, rounds)
	}
}

// TestMaxFuelTraps checks that a spinning process with max_fuel 1 runs out of fuel
// having used exactly its budget: the trap comes at the first loop header where the
// operators executed (one br per iteration) reach 100,000.
func TestMaxFuelTraps(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	cfg := permissions.New()
	cfg.MaxFuel = 1
	p := spawnEntry(t, rt.NewEnvironment(1), mod, cfg, "spin", nil)
	waitDone(t, p, "spinner with max_fuel 1")
	if !errors.Is(p.Death(), vm.ErrOutOfFuel) {
		t.Fatalf("death = %v, want out of fuel", p.Death())
	}
	if got := p.FuelUsed(); got != 100_000 {
		t.Errorf("fuel used %d, want exactly 100000", got)
	}
}

// TestFuelUsedExact checks that a process with a fuel limit is charged exactly the
// operators it executed, host calls included, and that one without a limit is charged
// the cheap instrumentation's measure: no time slice ended while it ran (epoch
// preemption), or the counting instrumentation's estimate.
func TestFuelUsedExact(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	unlimited := uint64(999 * 8) // the loop's static cost (8) on each of its 999 back edges
	if vm.EpochPreemption() {
		// Far less than a time slice of work: no slice ended while it computed (or one,
		// on a machine that stalls the process's thread across a tick).
		unlimited = 0
	}
	for _, tc := range []struct {
		maxFuel uint64
		want    uint64
	}{
		{1, 8001},
		{1 << 50, 8001}, // a limit past what FuelLimit can hold
		{0, unlimited},
	} {
		cfg := permissions.New()
		cfg.MaxFuel = tc.maxFuel
		p := spawnEntry(t, rt.NewEnvironment(1), mod, cfg, "count", nil)
		waitDone(t, p, "count")
		if p.Death() != nil {
			t.Fatalf("max_fuel %d: death %v", tc.maxFuel, p.Death())
		}
		if got := p.FuelUsed(); got != tc.want && (tc.maxFuel != 0 || !vm.EpochPreemption() || got != vm.FuelQuantum) {
			t.Errorf("max_fuel %d: fuel used %d, want %d", tc.maxFuel, got, tc.want)
		}
	}
}

// BenchmarkKillSpinner measures how long a kill takes to end a process spinning in a
// loop (without a fuel limit): from Kill to the end of the process.
func BenchmarkKillSpinner(b *testing.B) {
	rt := hostfuncstest.New(b)
	mod := hostfuncstest.Load(b, rt, "testdata/sched.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.New()
	var total time.Duration
	for b.Loop() {
		p, err := env.Spawn(context.Background(), vm.SpawnOptions{Module: mod, Config: cfg, Entry: "spin"})
		if err != nil {
			b.Fatal(err)
		}
		for p.FuelUsed() == 0 { // running guest code, past its first quantum
			runtime.Gosched()
		}
		start := time.Now()
		p.Kill(vm.ErrKilled)
		<-p.Done()
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/kill")
}

// TestExactVariantCompiledOnFirstUse checks that the exact fuel variant of a module is
// compiled when the first process with max_fuel spawns from it, not before, and lands in
// the on-disk compilation cache beside the module's own code; later spawns, limited or
// not, add nothing to the cache.
func TestExactVariantCompiledOnFirstUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rt, err := vm.New(ctx, vm.Options{CacheDir: dir, Instrument: hostfuncstest.Instrument, InstrumentExact: hostfuncstest.InstrumentExact})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	cached := func() int {
		n := 0
		err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	env := rt.NewEnvironment(1)
	run := func(maxFuel uint64) {
		cfg := permissions.New()
		cfg.MaxFuel = maxFuel
		p := spawnEntry(t, env, mod, cfg, "count", nil)
		waitDone(t, p, "count")
		if p.Death() != nil {
			t.Fatalf("max_fuel %d: death %v", maxFuel, p.Death())
		}
	}
	run(0)
	base := cached()
	if base == 0 {
		t.Fatal("nothing in the compilation cache after compiling a module")
	}
	run(1)
	withExact := cached()
	if withExact <= base {
		t.Fatalf("%d cache entries after a process with max_fuel, %d before: the exact variant was not compiled", withExact, base)
	}
	run(2)
	run(0)
	if n := cached(); n != withExact {
		t.Errorf("%d cache entries after more spawns, want %d: compiled again", n, withExact)
	}
}
