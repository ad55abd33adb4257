package bench

import (
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// BenchmarkHostCall measures a trivial lunatic host call (lunatic::process::process_id)
// made from a wasm loop in a lunatic process (fuel metering on), against the same loop
// calling an empty Go function registered with plain wazero.
func BenchmarkHostCall(b *testing.B) {
	b.Run("lunatic", func(b *testing.B) {
		g := newGuests(b)
		b.ResetTimer()
		g.run(b, g.wat, "hostcalls", uint64(b.N))
	})
	b.Run("wazero", func(b *testing.B) {
		f := emptyHostLoop(b)
		b.ResetTimer()
		if _, err := f.Call(context.Background(), uint64(b.N)); err != nil {
			b.Fatal(err)
		}
	})
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
