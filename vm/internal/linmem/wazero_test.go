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
	if err := mod.Close(ctx); err != nil {
		t.Fatal(err)
	}
	a.Release()
	if s := p.Stats(); s.Live != 0 || s.Pooled < 1 || (remapInPlace && s.Pooled != 1) {
		t.Fatalf("after close: %+v", s)
	}
}

// The memory moves to a larger region as it grows: the guest and the host keep seeing
// every byte written before, at the new address, and new pages read zero.
func TestWazeroGrowAcrossRegionsKeepsData(t *testing.T) {
	t.Run("mremap", func(t *testing.T) { testGrowAcrossRegions(t, false) })
	// Copying into a new region always moves the base.
	t.Run("copy", func(t *testing.T) { testGrowAcrossRegions(t, true) })
}

func testGrowAcrossRegions(t *testing.T, copying bool) {
	ctx := context.Background()
	p := newTestPool(t, 4)
	if copying {
		p.remap = func([]byte, uint64) ([]byte, error) { return nil, ErrMap }
	}
	r, cm := compile(t, "grow")
	a := p.Allocator(1 << 32)
	mod, err := Instantiate(ctx, r, cm, wazero.NewModuleConfig().WithName(""), a)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = mod.Close(ctx); a.Release() }()
	base := unsafe.SliceData(mustRead(t, mod.Memory(), 0, 1))
	pages := uint64(1)
	for pages < 16 {
		call(t, mod, "store", pages*PageSize-4, pages) // last word of each page
		if got := int32(call(t, mod, "grow", pages)); got != int32(pages) {
			t.Fatalf("grow(%d) = %d, want old size %d", pages, got, pages)
		}
		pages *= 2
		for q := uint64(1); q < pages; q *= 2 {
			if got := call(t, mod, "load", q*PageSize-4); got != q {
				t.Fatalf("at %d pages, guest load of page %d's last word = %d, want %d", pages, q, got, q)
			}
			b := mustRead(t, mod.Memory(), uint32(q*PageSize-4), 4)
			if uint64(b[0]) != q {
				t.Fatalf("at %d pages, host read of page %d's last word = %d, want %d", pages, q, b[0], q)
			}
		}
		if got := call(t, mod, "load", pages*PageSize-4); got != 0 {
			t.Fatalf("new page reads %d, want 0", got)
		}
	}
	if copying && unsafe.SliceData(mustRead(t, mod.Memory(), 0, 1)) == base {
		t.Fatal("memory never moved: the test does not cross a region boundary")
	}
	if s := p.Stats(); s.Live != 1 || s.InUseBytes != 16*PageSize {
		t.Fatalf("stats at 16 pages: %+v", s)
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
