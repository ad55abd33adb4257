package linmem

import (
	"context"
	"errors"
	"os"
	"testing"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// compile loads testdata/<name>.wasm (built from <name>.wat by wat2wasm)
// into a fresh runtime.
func compile(t testing.TB, name string) (wazero.Runtime, wazero.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	bin, err := os.ReadFile("testdata/" + name + ".wasm")
	if err != nil {
		t.Fatal(err)
	}
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { _ = r.Close(ctx) })
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return r, cm
}

func call(t *testing.T, mod api.Module, fn string, args ...uint64) uint64 {
	t.Helper()
	res, err := mod.ExportedFunction(fn).Call(context.Background(), args...)
	if err != nil {
		t.Fatalf("%s%v: %v", fn, args, err)
	}
	if len(res) == 0 {
		return 0
	}
	return res[0]
}

func TestWazeroGrowRespectsLimit(t *testing.T) {
	ctx := context.Background()
	p := newTestPool(t, 4)
	r, cm := compile(t, "grow")
	a := p.Allocator(3*PageSize + PageSize/2) // 3.5 pages: 3 fit
	mod, err := Instantiate(ctx, r, cm, wazero.NewModuleConfig().WithName(""), a)
	if err != nil {
		t.Fatal(err)
	}
	base := unsafe.SliceData(mustRead(t, mod.Memory(), 0, 1))
	if got := int32(call(t, mod, "grow", 2)); got != 1 {
		t.Fatalf("grow(2) = %d, want old size 1", got)
	}
	if got := int32(call(t, mod, "grow", 1)); got != -1 {
		t.Fatalf("grow(1) to 4 pages = %d, want -1", got)
	}
	if got := call(t, mod, "size"); got != 3 {
		t.Fatalf("size after refused grow = %d, want 3", got)
	}
	call(t, mod, "store", 3*PageSize-4, 99)
	if got := call(t, mod, "load", 3*PageSize-4); got != 99 {
		t.Fatalf("load at end of memory = %d, want 99", got)
	}
	if unsafe.SliceData(mustRead(t, mod.Memory(), 0, 1)) != base {
		t.Fatal("memory moved on grow")
	}
	if err := mod.Close(ctx); err != nil {
		t.Fatal(err)
	}
	a.Release()
	if s := p.Stats(); s.Live != 0 || s.Pooled != 1 {
		t.Fatalf("after close: %+v", s)
	}
}

func mustRead(t *testing.T, m api.Memory, off, n uint32) []byte {
	t.Helper()
	b, ok := m.Read(off, n)
	if !ok {
		t.Fatalf("read %d bytes at %d out of range", n, off)
	}
	return b
}

func TestWazeroReuseReadsZero(t *testing.T) {
	ctx := context.Background()
	p := newTestPool(t, 4)
	r, cm := compile(t, "grow")
	var bases [2]*byte
	for i := range bases {
		a := p.Allocator(1 << 32)
		mod, err := Instantiate(ctx, r, cm, wazero.NewModuleConfig().WithName(""), a)
		if err != nil {
			t.Fatal(err)
		}
		bases[i] = unsafe.SliceData(mustRead(t, mod.Memory(), 0, 1))
		if got := call(t, mod, "load", 100); got != 0 {
			t.Fatalf("instance %d: load(100) = %#x, want 0", i, got)
		}
		call(t, mod, "store", 100, 0xdeadbeef)
		_ = mod.Close(ctx)
		a.Release()
	}
	if bases[0] != bases[1] {
		t.Fatal("second instance did not reuse the region")
	}
}

func TestWazeroInitialOverLimit(t *testing.T) {
	ctx := context.Background()
	p := newTestPool(t, 4)
	r, cm := compile(t, "grow")
	for _, limit := range []uint64{0, PageSize - 1} {
		a := p.Allocator(limit)
		mod, err := Instantiate(ctx, r, cm, wazero.NewModuleConfig().WithName(""), a)
		if !errors.Is(err, ErrMemoryLimit) || mod != nil {
			t.Fatalf("limit %d: Instantiate = %v, %v; want ErrMemoryLimit", limit, mod, err)
		}
	}
	if s := p.Stats(); s.Live != 0 {
		t.Fatalf("regions leaked: %+v", s)
	}
}

func TestWazeroMapFailure(t *testing.T) {
	p := newTestPool(t, 4)
	p.mmap = func(uint64) ([]byte, error) { return nil, ErrMap }
	r, cm := compile(t, "grow")
	mod, err := Instantiate(context.Background(), r, cm, wazero.NewModuleConfig().WithName(""), p.Allocator(1<<32))
	if !errors.Is(err, ErrMap) || mod != nil {
		t.Fatalf("Instantiate = %v, %v; want ErrMap", mod, err)
	}
}

// wazero drops the memory of an instantiation that fails after building it;
// Instantiate must hand the region back.
func TestWazeroFailedInstantiationReleases(t *testing.T) {
	p := newTestPool(t, 4)
	r, cm := compile(t, "oob")
	mod, err := Instantiate(context.Background(), r, cm, wazero.NewModuleConfig().WithName(""), p.Allocator(1<<32))
	if err == nil || mod != nil {
		t.Fatalf("Instantiate = %v, %v; want data segment error", mod, err)
	}
	if errors.Is(err, ErrMemoryLimit) || errors.Is(err, ErrMap) {
		t.Fatalf("data segment error blamed on the allocator: %v", err)
	}
	if s := p.Stats(); s.Live != 0 || s.Pooled != 1 {
		t.Fatalf("after failed instantiation: %+v, want the region pooled", s)
	}
}
