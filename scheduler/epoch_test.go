package scheduler

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// TestEpochQuiet checks that an Epoch module whose epoch does not move calls
// yield once, at its first check (the deadline starts passed), and then runs
// without yielding.
func TestEpochQuiet(t *testing.T) {
	h := &fuelHost{}
	mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), Epoch))
	for _, export := range []string{"spin", "calls"} {
		got, err := call(mod, export, 100_000)
		if err != nil {
			t.Fatal(err)
		}
		if export == "spin" && got[0] != 100_000*99_999/2 {
			t.Errorf("spin = %d", got[0])
		}
	}
	if y := h.yields.Load(); y != 1 {
		t.Errorf("%d yields without ticks, want 1", y)
	}
}

// TestEpochSpinYields checks that a guest spinning in `loop br` yields on
// every advance of the epoch, so that the host can stop it.
func TestEpochSpinYields(t *testing.T) {
	h := &fuelHost{limit: 50}
	mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), Epoch))
	h.tick(t, 50*time.Microsecond)
	if _, err := call(mod, "forever"); !errors.Is(err, errOutOfFuel) {
		t.Fatalf("forever returned %v, want %v", err, errOutOfFuel)
	}
}

// TestEpochRecursion checks recursion through call and call_indirect (entry
// checks, and the check before call_indirect) under a fast-moving epoch: the
// results are right and the guest yields.
func TestEpochRecursion(t *testing.T) {
	for _, export := range []string{"direct", "indirect"} {
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), Epoch))
		h.tick(t, 10*time.Microsecond)
		recurse20(t, mod, export)
		if h.yields.Load() < 1 {
			t.Errorf("%s: no yield", export)
		}
	}
}

// recurse20 calls export (a recursion of depth 5000, through call or call_indirect)
// 20 times and checks its result.
func recurse20(t *testing.T, mod api.Module, export string) {
	t.Helper()
	for range 20 {
		got, err := call(mod, export, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != 5000 {
			t.Fatalf("%s(5000) = %d", export, got[0])
		}
	}
}

// TestEpochDeadlineFromOutside checks what a kill relies on: storing a past
// deadline from another goroutine makes a spinning guest yield, with the
// epoch standing still.
func TestEpochDeadlineFromOutside(t *testing.T) {
	first := make(chan api.Module, 1)
	h := &fuelHost{}
	var deadline *uint64
	r := newRuntime(t, h)
	mod := instantiate(t, r, instrumentMode(t, fixture(t, "loop"), Epoch))
	deadline = mod.ExportedGlobal(DeadlineExport).(valuePointer).ValuePointer()
	h.onYield = func(m api.Module) {
		switch {
		case h.yields.Load() == 1:
			first <- m
		case h.found == 1<<63:
			panic(errOutOfFuel)
		}
		// Otherwise a tick: the clock runs only so that a garbage collection starting
		// while the guest spins does not wait for ever for the P the guest holds, and
		// the store below for a P (it hung so under -race). It ticks seldom.
	}
	h.tick(t, 20*time.Millisecond)
	done := make(chan error, 1)
	go func() {
		_, err := call(mod, "forever")
		done <- err
	}()
	<-first
	// The guest spins past its first check: only the deadline can stop it.
	atomic.StoreUint64(deadline, 1<<63) // MinInt64
	select {
	case err := <-done:
		if !errors.Is(err, errOutOfFuel) {
			t.Fatalf("forever returned %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the guest did not yield within a minute of its deadline passing")
	}
}

// TestEpochGlobals checks the index remapping: an imported global, defined
// globals read and written by code and constant expressions, exported
// globals and a data offset behave as in the original.
func TestEpochGlobals(t *testing.T) {
	orig := fixture(t, "globals")
	for _, wasm := range [][]byte{orig, instrumentMode(t, orig, Epoch)} {
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), wasm)
		got, err := call(mod, "run", 10)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != 2084 {
			t.Errorf("run(10) = %d, want 2084", got[0])
		}
		for name, want := range map[string]uint64{"g1": 1010, "g3": 5, "base": 1000} {
			if g := mod.ExportedGlobal(name); g == nil || g.Get() != want {
				t.Errorf("global %s = %v, want %d", name, g, want)
			}
		}
	}
}

// TestEpochModule checks that EpochGlobalModule's epoch is what an Epoch
// module compares its deadline with.
func TestEpochModule(t *testing.T) {
	ctx := context.Background()
	r := newCompilerRuntime(ctx)
	defer r.Close(ctx)
	em, err := r.Instantiate(ctx, EpochGlobalModule())
	if err != nil {
		t.Fatal(err)
	}
	g, ok := em.ExportedGlobal(EpochName).(api.MutableGlobal)
	if !ok || g.Type() != api.ValueTypeI64 || g.Get() != 0 {
		t.Fatalf("epoch global %v", g)
	}
}

// TestEpochCountdown checks the countdown of a cheap loop: a loop runs its full
// check on its first back edge (the countdown starts at zero) and then once
// every k+1 back edges, k being countdown of the loop's static cost, so every
// yield of a guest counting its back edges happens at back edge 1+m(k+1).
func TestEpochCountdown(t *testing.T) {
	const yields = 30
	h := &fuelHost{}
	mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), Epoch))
	edges := mod.ExportedGlobal("edges")
	var seen []uint64 // the back edges of the yields, each once: a check re-runs after
	// its yield, and yields again while the ticker is between two reads (fuelHost.yield)
	h.onYield = func(api.Module) {
		if e, n := edges.Get(), len(seen); n == 0 || seen[n-1] != e {
			seen = append(seen, e)
		}
		if len(seen) == yields {
			panic(errOutOfFuel)
		}
	}
	h.tick(t, 20*time.Microsecond)
	if _, err := call(mod, "count_edges"); !errors.Is(err, errOutOfFuel) {
		t.Fatalf("count_edges returned %v, want %v", err, errOutOfFuel)
	}
	// The loop is a global.get, an add of a constant, a global.set and a br.
	k := uint64(countdown(4))
	if k < 2 || k > maxCountdown {
		t.Fatalf("countdown(4) = %d", k)
	}
	if len(seen) != yields || seen[0] != 1 {
		t.Fatalf("yields at back edges %v, want %d of them, the first at 1", seen, yields)
	}
	for _, e := range seen {
		if (e-1)%(k+1) != 0 {
			t.Fatalf("a yield at back edge %d: not 1 plus a multiple of %d (yields at %v)", e, k+1, seen)
		}
	}
	if last := seen[len(seen)-1]; last <= k+1 {
		t.Fatalf("the guest never got past its first countdown (yields at %v)", seen)
	}
}

// TestEpochLoopsOnly checks InstrumentEpochLoops: loops still check (a spinning guest
// yields on every advance of the epoch), but recursion through call and call_indirect
// runs without a single yield, however fast the epoch moves: function entries are
// left to the host's stack bound.
func TestEpochLoopsOnly(t *testing.T) {
	loops, err := InstrumentEpochLoops(fixture(t, "loop"))
	if err != nil {
		t.Fatal(err)
	}
	// The back edges poll the stack bound (PollName), which the clock's thread sets at
	// each tick through the call's cell: no loop check reads the epoch. wazero knows the
	// poll by its module and name (a real call would yield at every back edge).
	if ImportModule != experimental.PollModule {
		t.Fatalf("ImportModule %q is not wazero's poll module %q", ImportModule, experimental.PollModule)
	}
	if imports := importNames(t, loops); !slices.Contains(imports, ImportModule+"."+PollName) || slices.Contains(imports, ImportModule+"."+ImportName) {
		t.Fatalf("EpochLoops imports %v, want the poll and no yield", imports)
	}
	{
		// Compiled, the poll is no call: a million back edges with no tick pending
		// call nothing (the host's import, h.yield, counts every call).
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), loops)
		got, err := call(mod, "spin", 1_000_000)
		if err != nil || got[0] != 499_999_500_000 {
			t.Fatalf("spin(1e6) = %v, %v", got, err)
		}
		if y := h.yields.Load(); y != 0 {
			t.Fatalf("spin(1e6) called the poll import %d times, want 0 (compiled to a check)", y)
		}
	}
	{
		h := &fuelHost{limit: 50}
		mod := instantiate(t, newRuntime(t, h), loops)
		e := newEntries(h)
		e.m = mod
		h.tick(t, 50*time.Microsecond)
		if _, err := mod.ExportedFunction("forever").Call(e.context(context.Background())); !errors.Is(err, errOutOfFuel) {
			t.Fatalf("forever returned %v, want %v", err, errOutOfFuel)
		}
	}
	for _, export := range []string{"direct", "indirect"} {
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), loops)
		h.tick(t, 10*time.Microsecond)
		recurse20(t, mod, export)
		if y := h.yields.Load(); y != 0 {
			t.Errorf("%s: %d yields, want none (no entry checks)", export, y)
		}
	}
	// A call that starts while a tick is pending (the epoch word holds the kernel's
	// count, no yield has claimed it) is preempted at its first function entry, though
	// no thread stores through its cell: the thread's pass may have read the cell before
	// the call was published in it.
	{
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), loops)
		e := newEntries(h)
		e.m = mod
		atomic.StoreUint64(h.epoch, 1) // a count, as a timerfd read writes it
		if _, err := mod.ExportedFunction("direct").Call(e.context(context.Background()), 50); err != nil {
			t.Fatal(err)
		}
		if y := h.yields.Load(); y < 1 {
			t.Errorf("a call started with a tick pending did not yield at a function entry")
		}
	}
	// With the stack bound preempted at each tick (as the vm package does), the
	// recursion yields again, at function entries.
	for _, export := range []string{"direct", "indirect"} {
		h := &fuelHost{}
		mod := instantiate(t, newRuntime(t, h), loops)
		e := newEntries(h)
		e.m = mod
		h.tick(t, 10*time.Microsecond)
		ctx := e.context(context.Background())
		f := mod.ExportedFunction(export)
		deadline := time.Now().Add(time.Minute)
		for h.yields.Load() == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no yield at a function entry within a minute of 10 µs ticks", export)
			}
			got, err := f.Call(ctx, 5000)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != 5000 {
				t.Fatalf("%s(5000) = %d", export, got[0])
			}
		}
	}
}

// TestCountdownNeedsFewLocals checks the register-pressure rule of countdowns: a
// cheap loop gets a counter in a function with few parameters and locals, none in
// one with more than maxCountdownLocals.
func TestCountdownNeedsFewLocals(t *testing.T) {
	for _, c := range []struct {
		params uint32
		locals uint64
		want   uint32
	}{{1, 3, 1}, {0, maxCountdownLocals, 1}, {1, maxCountdownLocals, 0}, {1, 7, 0}} {
		fs := &funcScan{locals: c.locals, costs: []int64{10, 4}}
		if got := fs.countdowns(&emitter{params: c.params}); got != c.want {
			t.Errorf("%d params, %d locals: %d countdowns, want %d", c.params, c.locals, got, c.want)
		}
	}
}

// importNames returns the imported functions of wasm as module.name.
func importNames(t *testing.T, wasm []byte) []string {
	t.Helper()
	cm, err := wazero.NewRuntime(context.Background()).CompileModule(context.Background(), wasm)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, def := range cm.ImportedFunctions() {
		mod, name, _ := def.Import()
		names = append(names, mod+"."+name)
	}
	return names
}
