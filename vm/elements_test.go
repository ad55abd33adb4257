package vm

import (
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/vm/internal/linmem"
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

	// Imported globals are remembered with the functions: a second instance takes the
	// resolution of the first, and after "base" is replaced a new instance reads the new
	// module's global (5), not the old one's.
	global := mustCompile(t, r, "testdata/elements_global.wasm")
	globalAt := func(name string, slot uint64) {
		t.Helper()
		m, err := r.InstantiateModule(ctx, global, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close(ctx) }()
		if _, err := m.ExportedFunction("set").Call(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if res, err := m.ExportedFunction("call").Call(ctx, slot); err != nil || uint32(res[0]) != 7 {
			t.Errorf("%s: call(%d) = %v, %v; want 7", name, slot, res, err)
		}
		other := uint64(3 + 5 - slot)
		if _, err := m.ExportedFunction("call").Call(ctx, other); err == nil {
			t.Errorf("%s: calling the empty slot %d did not trap", name, other)
		}
	}
	globalAt("first instance", 3)
	globalAt("second instance", 3)
	if err := r.Module("base").Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.InstantiateWithConfig(ctx, mustRead(t, "testdata/elements_base5.wasm"), wazero.NewModuleConfig().WithName("base")); err != nil {
		t.Fatal(err)
	}
	globalAt("after replacing base", 5)
}

func mustCompile(t *testing.T, r wazero.Runtime, path string) wazero.CompiledModule {
	t.Helper()
	c, err := r.CompileModule(context.Background(), mustRead(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecycledInstancesStartFresh: an instance built in the engine state of a closed and
// recycled one (experimental.RecycleModule, as a process's exit does) starts as a new
// instance does: memory, globals and table as instantiation leaves them, function
// references that call into the new instance. It holds with two instances alive at once,
// and in a second runtime that shares the compiled code through a compilation cache but
// numbers function types differently.
func TestRecycledInstancesStartFresh(t *testing.T) {
	ctx := context.Background()
	cache := wazero.NewCompilationCache()
	defer func() { _ = cache.Close(ctx) }()
	pool := linmem.NewPool(linmem.Config{})
	defer pool.Close()
	wasm := mustRead(t, "testdata/recycle.wasm")
	run := func(r wazero.Runtime, rounds, together int) {
		t.Helper()
		code, err := r.CompileModule(ctx, wasm)
		if err != nil {
			t.Fatal(err)
		}
		recycleRounds(t, r, code, pool, rounds, together, func(round, i int, m api.Module) {
			res, err := m.ExportedFunction("check").Call(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res[0] != 0 {
				t.Fatalf("round %d, instance %d: check = %d, want 0 (a fresh instance)", round, i, res[0])
			}
			if _, err := m.ExportedFunction("mutate").Call(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
	r1 := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache))
	defer func() { _ = r1.Close(ctx) }()
	run(r1, 5, 1)
	run(r1, 5, 3)
	// Another runtime on the same cache: register other function types first, so that
	// its type IDs differ from r1's.
	r2 := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache))
	defer func() { _ = r2.Close(ctx) }()
	if _, err := r2.NewHostModuleBuilder("other").
		NewFunctionBuilder().WithFunc(func(int64, float32) float64 { return 0 }).Export("f").
		NewFunctionBuilder().WithFunc(func(int32) int64 { return 0 }).Export("g").
		Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	run(r2, 3, 2)
	run(r1, 3, 2)
}

// TestHasStartSection: a spawn watches its context and parent during instantiation only
// for modules with a start section, so the scan must find one where it is and report
// bytes it cannot walk as having one.
func TestHasStartSection(t *testing.T) {
	for path, want := range map[string]bool{
		"testdata/lifecycle.wasm": true,
		"testdata/hostblock.wasm": true,
		"testdata/recycle.wasm":   false,
		"testdata/elements.wasm":  false,
	} {
		if got := hasStartSection(mustRead(t, path)); got != want {
			t.Errorf("hasStartSection(%s) = %v, want %v", path, got, want)
		}
	}
	truncated := mustRead(t, "testdata/recycle.wasm")
	if !hasStartSection(truncated[:len(truncated)-3]) {
		t.Error("a truncated module counts as having no start section")
	}
}

// TestRecycledInstancesKeepImports: an instance built in a recycled engine state keeps
// the imported functions its resolution filled in (the engine remembers which recorded
// resolution it was), and still calls the host functions the store holds now once the
// host module under that name was replaced.
func TestRecycledInstancesKeepImports(t *testing.T) {
	ctx := context.Background()
	pool := linmem.NewPool(linmem.Config{})
	defer pool.Close()
	r := wazero.NewRuntime(ctx)
	defer func() { _ = r.Close(ctx) }()
	env := func(a, b int32) api.Module {
		m, err := r.NewHostModuleBuilder("env").
			NewFunctionBuilder().WithFunc(func() int32 { return a }).Export("a").
			NewFunctionBuilder().WithFunc(func(x int32) int32 { return x*10 + b }).Export("b").
			Instantiate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	code, err := r.CompileModule(ctx, mustRead(t, "testdata/recycleimports.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rounds := func(want uint64) {
		t.Helper()
		recycleRounds(t, r, code, pool, 4, 2, func(round, i int, m api.Module) {
			res, err := m.ExportedFunction("call").Call(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res[0] != want {
				t.Fatalf("round %d, instance %d: call = %d, want %d", round, i, res[0], want)
			}
		})
	}
	first := env(7, 1)
	rounds(71)
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	env(3, 2)
	rounds(32)
}

// recycleRounds runs rounds of together instances of code, each instance with its
// memory from pool: check runs on every instance of a round, then all of them are
// closed and handed back for reuse as a process's exit does (experimental.RecycleModule).
func recycleRounds(t *testing.T, r wazero.Runtime, code wazero.CompiledModule, pool *linmem.Pool,
	rounds, together int, check func(round, i int, m api.Module)) {
	t.Helper()
	ctx := context.Background()
	for round := range rounds {
		var mods []api.Module
		var allocs []*linmem.Allocator
		for range together {
			a := pool.Allocator(1 << 20)
			m, err := linmem.Instantiate(ctx, r, code, wazero.NewModuleConfig().WithName(""), a)
			if err != nil {
				t.Fatal(err)
			}
			mods, allocs = append(mods, m), append(allocs, a)
		}
		for i, m := range mods {
			check(round, i, m)
		}
		for i, m := range mods {
			_ = m.Close(ctx)
			experimental.RecycleModule(m)
			allocs[i].Release()
		}
	}
}
