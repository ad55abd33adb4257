package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// hostCallChunk is how many calls one run of the host-call loop makes.
const hostCallChunk = 200_000

// BenchmarkHostCall measures a trivial lunatic host call (lunatic::process::process_id)
// made from a wasm loop in a lunatic process (fuel metering on), against the same loop
// calling an empty Go function registered with plain wazero. Each iteration runs
// hostCallChunk calls on each side, one after the other, so that load from other programs
// hits both alike; the figures are the medians per call (lunatic-ns, wazero-ns). The
// lunatic side includes spawning its process, well under 1 ns per call.
func BenchmarkHostCall(b *testing.B) {
	g := newGuests(b)
	f := emptyHostLoop(b)
	var ours, base []time.Duration
	for range b.N {
		t0 := time.Now()
		g.run(b, g.wat, "hostcalls", hostCallChunk)
		t1 := time.Now()
		if _, err := f.Call(context.Background(), hostCallChunk); err != nil {
			b.Fatal(err)
		}
		ours, base = append(ours, t1.Sub(t0)), append(base, time.Since(t1))
	}
	reportPair(b, ours, base, hostCallChunk)
}

// emptyHostLoop instantiates testdata/hostcall_base.wasm in a plain wazero runtime with
// an empty host function and returns its loop.
func emptyHostLoop(tb testing.TB) api.Function {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	tb.Cleanup(func() { _ = r.Close(ctx) })
	_, err := r.NewHostModuleBuilder("bench").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = 0
		}), nil, []api.ValueType{api.ValueTypeI64}).
		Export("empty").Instantiate(ctx)
	if err != nil {
		tb.Fatalf("host module: %v", err)
	}
	wasm, err := os.ReadFile("testdata/hostcall_base.wasm")
	if err != nil {
		tb.Fatal(err)
	}
	mod, err := r.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		tb.Fatalf("instantiate hostcall_base.wasm: %v", err)
	}
	return mod.ExportedFunction("hostcalls")
}
