package scheduler

import (
	"context"
	"embed"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

// Fixtures: each testdata/NAME.wasm is generated from testdata/NAME.wat by
// wat2wasm (wabt 1.0.32); run `go generate` in this directory to rebuild.
//
//go:generate sh -c "for f in testdata/*.wat; do wat2wasm --debug-names $DOLLAR{f} -o $DOLLAR{f%.wat}.wasm; done"
//go:embed testdata/*.wasm
var fixtures embed.FS

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.ReadFile("testdata/" + name + ".wasm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func instrument(t testing.TB, wasm []byte) []byte {
	t.Helper()
	return instrumentMode(t, wasm, Preempt)
}

// modes are the counting instrumentation modes, whose tests look at the
// counter.
var modes = []Mode{Preempt, Exact}

// allModes are the modes that corpus, feature and fuzz tests run.
var allModes = []Mode{Preempt, Exact, Epoch, EpochLoops}

func instrumentMode(t testing.TB, wasm []byte, mode Mode) []byte {
	t.Helper()
	out, err := InstrumentMode(wasm, mode)
	if err != nil {
		t.Fatalf("Instrument (%s): %v", mode, err)
	}
	return out
}

// fuelHost is the test's implementation of the injected yield import: it
// counts calls and refills the counter with quantum. For an Epoch module it
// sets the deadline one past the current epoch instead (quantum does not
// matter), so the module yields again once the epoch advances (see tick).
// Epochs are negative (from testEpochBase up), as in the vm package: a clock
// that has the kernel write a positive number into the epoch (see
// startTicker) passes every deadline.
// With a non-zero limit, the call after limit yields traps with
// errOutOfFuel, as a host that enforces a fuel budget would.
type fuelHost struct {
	quantum int64
	limit   int64
	yields  atomic.Int64
	epoch   *uint64      // the epoch global of the runtime (set by newRuntime)
	ticks   atomic.Int64 // the current epoch (what *epoch holds between two ticks)
	found   uint64       // an Epoch module's deadline when it last yielded
	reading *uint32      // with a ticker: 1 while its goroutine is in its read (see tick)
	thread  bool         // the ticker reads with a tick thread: always reading
	clock   *clock       // the ticker (see tick), or nil
	// onYield, if set, runs at the end of each yield but the last (beyond
	// limit).
	onYield func(api.Module)
	// table, when set before tick, is gone through by the ticker's thread at each
	// tick: EpochLoops modules are preempted at function entries through it (see
	// entries).
	table *tickthread.Table
}

// entries preempts the function entries of an EpochLoops module's calls as the vm
// package does: the call's context carries a Suspender whose Cell is a cell of the
// fuelHost's table, where wazero publishes the call's stack bound word, which the
// ticker's thread stores experimental.PreemptBound in at each tick; the next function
// entry calls Preempt, which yields as a check point would.
type entries struct {
	h    *fuelHost
	m    api.Module // whose deadline a yield sets (nil: none yet)
	susp experimental.Suspender
}

// newEntries returns entries for h, whose table it creates (before h.tick).
func newEntries(h *fuelHost) *entries {
	h.table = tickthread.NewTable(experimental.PreemptBusy(), h.epoch)
	e := &entries{h: h}
	e.susp.Cell = h.table.Acquire()
	return e
}

// context returns ctx carrying e, for the calls to preempt.
func (e *entries) context(ctx context.Context) context.Context {
	return experimental.WithStackLimiter(experimental.WithSuspender(ctx, &e.susp), e)
}

// GrowStack grants what is asked (as wazero without a limiter).
func (e *entries) GrowStack(_, want uint64) uint64 { return want }

// ReleaseStack does nothing.
func (e *entries) ReleaseStack(uint64) {}

// Preempt yields, as a check point of e.m would.
func (e *entries) Preempt(ctx context.Context) {
	if e.m != nil {
		var stack [1]uint64
		e.h.yield(ctx, e.m, stack[:])
	}
}

var errOutOfFuel = errors.New("out of fuel")

// valuePointer is the lunatic patch of wazero's mutable globals.
type valuePointer interface{ ValuePointer() *uint64 }

func (h *fuelHost) yield(_ context.Context, m api.Module, stack []uint64) {
	if n := h.yields.Add(1); h.limit > 0 && n > h.limit {
		panic(errOutOfFuel)
	}
	if g, ok := m.ExportedGlobal(DeadlineExport).(valuePointer); ok {
		h.found = atomic.LoadUint64(g.ValuePointer())
		if w := atomic.LoadUint64(h.epoch); h.reading != nil && int64(w) >= 0 && atomic.CompareAndSwapUint64(h.epoch, w, uint64(h.ticks.Add(1))) {
			// The kernel's count: the ticker's read is over. Claim the tick, as the vm
			// package's yields do, rather than wait for the ticker's goroutine.
			if !h.thread {
				atomic.StoreUint32(h.reading, 0)
			}
		}
		deadline := uint64(h.ticks.Load() + 1)
		if h.reading != nil && atomic.LoadUint32(h.reading) == 0 {
			// The ticker is between two reads, and its goroutine may wait for a P that
			// only a yield of this guest frees: no tick can land, so the deadline is
			// passed (not 1<<63, which TestEpochDeadlineFromOutside stores).
			deadline = 1<<63 | 1
		}
		atomic.StoreUint64(g.ValuePointer(), deadline)
	}
	if h.onYield != nil {
		h.onYield(m)
	}
	stack[0] = uint64(h.quantum)
}

// testEpochBase is the first epoch of a test runtime.
const testEpochBase = -1 << 62

// tick advances the epoch every interval until the test ends.
func (h *fuelHost) tick(t testing.TB, interval time.Duration) {
	h.reading = new(uint32)
	c, err := startTicker(h.epoch, &h.ticks, h.reading, interval, h.table)
	if err != nil {
		t.Fatal(err)
	}
	h.clock, h.thread = c, c.threaded
	t.Cleanup(c.stop)
}

// clock is a running ticker (startTicker).
type clock struct {
	stop     func()            // ends it for good
	pause    func(paused bool) // stops its ticks, and starts them again
	threaded bool              // a tick thread reads (ticker_linux_test.go)
}

// compiled is shared by the tests' runtimes (the optimizing compiler), so that
// each module is compiled once per test binary: compiling the Go guests is slow,
// above all under the race detector.
var compiled = wazero.NewCompilationCache()

// newCompilerRuntime returns a runtime of the optimizing compiler sharing compiled.
func newCompilerRuntime(ctx context.Context) wazero.Runtime {
	return wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(compiled))
}

// newRuntime returns a runtime with the yield import and the "env" module
// that remap.wat imports.
func newRuntime(t testing.TB, h *fuelHost) wazero.Runtime {
	t.Helper()
	return setUpRuntime(t, h, newCompilerRuntime(context.Background()))
}

// setUpRuntime gives r what newRuntime's has.
func setUpRuntime(t testing.TB, h *fuelHost, r wazero.Runtime) wazero.Runtime {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { r.Close(ctx) })
	hm := r.NewHostModuleBuilder(ImportModule)
	for _, name := range []string{ImportName, PollName} {
		hm.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(h.yield), nil, []api.ValueType{api.ValueTypeI64}).
			Export(name)
	}
	if _, err := hm.Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.InstantiateWithConfig(ctx, fixture(t, "env"), wazero.NewModuleConfig().WithName("env")); err != nil {
		t.Fatal(err)
	}
	em, err := r.InstantiateWithConfig(ctx, EpochGlobalModule(), wazero.NewModuleConfig().WithName(EpochModule))
	if err != nil {
		t.Fatal(err)
	}
	h.epoch = em.ExportedGlobal(EpochName).(valuePointer).ValuePointer()
	h.ticks.Store(testEpochBase)
	atomic.StoreUint64(h.epoch, uint64(h.ticks.Load()))
	return r
}

// instantiate instantiates wasm anonymously in r.
func instantiate(t testing.TB, r wazero.Runtime, wasm []byte) api.Module {
	t.Helper()
	mod, err := r.InstantiateWithConfig(context.Background(), wasm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return mod
}

// call calls an exported function and returns its results or error.
func call(mod api.Module, name string, args ...uint64) ([]uint64, error) {
	return callCtx(context.Background(), mod, name, args...)
}

// callCtx is call with ctx (an entries context, for instance).
func callCtx(ctx context.Context, mod api.Module, name string, args ...uint64) ([]uint64, error) {
	f := mod.ExportedFunction(name)
	if f == nil {
		return nil, errNoExport(name)
	}
	return f.Call(ctx, args...)
}

type errNoExport string

func (e errNoExport) Error() string { return "no export " + string(e) }
