package vm

import (
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// TestTableElementsPerInstance: the function references that element segments put into
// a table (applied from a per-module template in the vendored wazero) call the function
// of their own instance, in every instance of the module, imported functions included;
// segments with a non-constant offset still work, and an instance made after its host
// module was replaced calls the new one.
func TestTableElementsPerInstance(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer func() { _ = r.Close(ctx) }()
	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().WithFunc(func() int32 { return 1000 }).Export("host").
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code, err := r.CompileModule(ctx, mustRead(t, "testdata/elements.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var insts []api.Module
	for i := range 3 {
		m, err := r.InstantiateModule(ctx, code, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close(ctx) }()
		if _, err := m.ExportedFunction("set").Call(ctx, uint64(10*(i+1))); err != nil {
			t.Fatal(err)
		}
		insts = append(insts, m)
	}
	for i, m := range insts {
		g := uint64(10 * (i + 1))
		for slot, want := range map[uint64]uint64{0: g, 1: g + 1, 5: 1000, 6: g} {
			res, err := m.ExportedFunction("call").Call(ctx, slot)
			if err != nil {
				t.Fatalf("instance %d, slot %d: %v", i, slot, err)
			}
			if uint32(res[0]) != uint32(want) {
				t.Errorf("instance %d, slot %d = %d, want %d", i, slot, uint32(res[0]), want)
			}
		}
		if _, err := m.ExportedFunction("call").Call(ctx, 2); err == nil {
			t.Errorf("instance %d: calling the empty slot 2 did not trap", i)
		}
	}

	// The resolution of the imports is remembered per module: after the host module is
	// replaced, a new instance must call the new one.
	env := r.Module("env")
	if err := env.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().WithFunc(func() int32 { return 2000 }).Export("host").
		Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	m2, err := r.InstantiateModule(ctx, code, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := m2.ExportedFunction("call").Call(ctx, 5); err != nil || uint32(res[0]) != 2000 {
		t.Errorf("after replacing the host module: call(5) = %v, %v; want 2000", res, err)
	}
	_ = m2.Close(ctx)

	// An offset from an imported global (3).
	if _, err := r.InstantiateWithConfig(ctx, mustRead(t, "testdata/elements_base.wasm"), wazero.NewModuleConfig().WithName("base")); err != nil {
		t.Fatal(err)
	}
	m, err := r.Instantiate(ctx, mustRead(t, "testdata/elements_global.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ExportedFunction("set").Call(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if res, err := m.ExportedFunction("call").Call(ctx, 3); err != nil || uint32(res[0]) != 42 {
		t.Errorf("segment at the imported offset: call = %v, %v; want 42", res, err)
	}
	if _, err := m.ExportedFunction("call").Call(ctx, 0); err == nil {
		t.Error("calling the empty slot 0 did not trap")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
