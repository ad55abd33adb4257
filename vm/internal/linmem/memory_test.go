package linmem

import (
	"errors"
	"sync"
	"testing"
	"unsafe"
)

const testReserve = 16 * PageSize

func newTestPool(t *testing.T, maxIdle int) *Pool {
	t.Helper()
	p := NewPool(Config{Reserve: testReserve, MaxIdle: maxIdle})
	t.Cleanup(p.Close)
	return p
}

func TestGrowMovesAndKeepsContents(t *testing.T) {
	p := newTestPool(t, 4)
	m := p.Allocator(8*PageSize).Allocate(PageSize, 1<<32)
	defer m.Free()
	first := m.Reallocate(PageSize)
	if len(first) != PageSize {
		t.Fatalf("initial len = %d, want %d", len(first), PageSize)
	}
	first[0], first[PageSize-1] = 7, 8
	for pages := uint64(2); pages <= 8; pages++ {
		b := m.Reallocate(pages * PageSize)
		if uint64(len(b)) != pages*PageSize {
			t.Fatalf("len after grow to %d pages = %d", pages, len(b))
		}
		if b[0] != 7 || b[PageSize-1] != 8 {
			t.Fatalf("contents lost when growing to %d pages", pages)
		}
		for i := (pages - 1) * PageSize; i < pages*PageSize; i += 4096 {
			if b[i] != 0 {
				t.Fatalf("new page %d not zero at %d", pages, i)
			}
		}
		b[len(b)-1] = byte(pages) // the whole new length is writable
		if pages > 2 && b[(pages-1)*PageSize-1] != byte(pages-1) {
			t.Fatalf("last byte of the previous size lost when growing to %d pages", pages)
		}
	}
	// Where the region cannot be remapped in place, the smaller regions left behind are
	// pooled and still reserved.
	if got := p.Stats(); got.InUseBytes != 8*PageSize || got.Live != 1 || (remapInPlace && got.ReservedBytes != 8*PageSize) {
		t.Fatalf("stats after growing to 8 pages: %+v", got)
	}
}

// A memory takes address space for its size class only, and keeps its base while it
// grows inside the class.
func TestRegionSizeFollowsTheMemory(t *testing.T) {
	p := newTestPool(t, 4)
	m := p.Allocator(1<<32).Allocate(3*PageSize, 1<<32)
	defer m.Free()
	b := m.Reallocate(3 * PageSize)
	if s := p.Stats(); s.ReservedBytes != 4*PageSize {
		t.Fatalf("3-page memory reserved %d bytes, want 4 pages", s.ReservedBytes)
	}
	if b2 := m.Reallocate(4 * PageSize); unsafe.SliceData(b2) != unsafe.SliceData(b) {
		t.Fatal("base moved while growing inside the region")
	}
	m.Reallocate(5 * PageSize)
	want := uint64(8 * PageSize)
	if !remapInPlace {
		want += 4 * PageSize // the 4-page region it was copied from, now pooled
	}
	if s := p.Stats(); s.ReservedBytes != want {
		t.Fatalf("5-page memory reserved %d bytes, want %d", s.ReservedBytes, want)
	}
}

// When the kernel cannot move the mapping, growth copies into a new region.
func TestGrowFallsBackToCopy(t *testing.T) {
	p := newTestPool(t, 4)
	p.remap = func([]byte, uint64) ([]byte, error) { return nil, ErrMap }
	m := p.Allocator(1<<32).Allocate(PageSize, 1<<32)
	defer m.Free()
	b := m.Reallocate(PageSize)
	b[100] = 42
	b = m.Reallocate(3 * PageSize)
	if b == nil || b[100] != 42 || b[3*PageSize-1] != 0 {
		t.Fatal("copying growth lost contents")
	}
	if s := p.Stats(); s.Live != 1 || s.Pooled != 1 {
		t.Fatalf("after copying growth: %+v, want the old region pooled", s)
	}
}

func TestGrowPastLimitRefused(t *testing.T) {
	tests := []struct {
		name  string
		limit uint64
		max   uint64
		ok    uint64 // largest accepted size
	}{
		{"process limit", 3*PageSize + 100, 1 << 32, 3 * PageSize},
		{"module max", 1 << 32, 5 * PageSize, 5 * PageSize},
		{"region size", 1 << 32, 1 << 32, testReserve},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestPool(t, 4).Allocator(tt.limit)
			m := a.Allocate(0, tt.max)
			defer m.Free()
			if m.Reallocate(PageSize) == nil {
				t.Fatal("initial page refused")
			}
			if b := m.Reallocate(tt.ok); uint64(len(b)) != tt.ok {
				t.Fatalf("grow to %d bytes: len %d", tt.ok, len(b))
			}
			if b := m.Reallocate(tt.ok + PageSize); b != nil {
				t.Fatalf("grow past %d bytes returned %d bytes", tt.ok, len(b))
			}
			if err := a.Err(); err != nil {
				t.Fatalf("refused growth recorded as error: %v", err)
			}
		})
	}
}

func TestInitialOverLimitRecordsErr(t *testing.T) {
	a := newTestPool(t, 4).Allocator(PageSize - 1)
	m := a.Allocate(PageSize, 1<<32)
	defer m.Free()
	if b := m.Reallocate(PageSize); b != nil {
		t.Fatalf("initial size over limit returned %d bytes", len(b))
	}
	if err := a.Err(); !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("Err() = %v, want ErrMemoryLimit", err)
	}
}

func TestReuseReadsZero(t *testing.T) {
	p := newTestPool(t, 4)
	a := p.Allocator(1 << 32)
	m := a.Allocate(0, 1<<32)
	b := m.Reallocate(testReserve)
	for i := range b {
		b[i] = 0xAB
	}
	base := unsafe.SliceData(b)
	m.Free()

	m2 := a.Allocate(0, 1<<32)
	defer m2.Free()
	b2 := m2.Reallocate(testReserve)
	if unsafe.SliceData(b2) != base {
		t.Fatal("freed region was not reused")
	}
	for i, v := range b2 {
		if v != 0 {
			t.Fatalf("byte %d = %#x after reuse, want 0", i, v)
		}
	}
}

// A region reused after a few touched pages (cleared by hand, not madvised) reads zero,
// and one with many touched pages (madvised) too.
func TestReuseAfterScatteredWritesReadsZero(t *testing.T) {
	for _, touched := range []int{3, 200} {
		p := newTestPool(t, 4)
		p.scrubByHand = true
		a := p.Allocator(1 << 32)
		m := a.Allocate(0, 1<<32)
		b := m.Reallocate(testReserve)
		step := len(b) / touched
		for i := 0; i < touched; i++ {
			b[i*step+i] = 0xCD
		}
		base := unsafe.SliceData(b)
		m.Free()
		m2 := a.Allocate(0, 1<<32)
		b2 := m2.Reallocate(testReserve)
		if unsafe.SliceData(b2) != base {
			t.Fatal("freed region was not reused")
		}
		for i, v := range b2 {
			if v != 0 {
				t.Fatalf("%d pages touched: byte %d = %#x after reuse, want 0", touched, i, v)
			}
		}
		m2.Free()
	}
}

func TestDoubleFreeSafe(t *testing.T) {
	p := newTestPool(t, 4)
	a := p.Allocator(1 << 32)
	m := a.Allocate(0, 1<<32)
	m.Reallocate(PageSize)
	m.Free()
	m.Free()
	a.Release()
	if s := p.Stats(); s.Live != 0 || s.Pooled != 1 || s.InUseBytes != 0 {
		t.Fatalf("after double free: %+v, want 0 live, 1 pooled, 0 in use", s)
	}
	if m.Reallocate(PageSize) != nil {
		t.Fatal("Reallocate after Free returned memory")
	}
	// Two new memories must get two distinct regions.
	x, y := a.Allocate(0, 1<<32), a.Allocate(0, 1<<32)
	defer a.Release()
	if unsafe.SliceData(x.Reallocate(PageSize)) == unsafe.SliceData(y.Reallocate(PageSize)) {
		t.Fatal("one region handed to two memories")
	}
}

func TestReleaseFreesUnfreedMemories(t *testing.T) {
	p := newTestPool(t, 4)
	a := p.Allocator(1 << 32)
	a.Allocate(0, 1<<32).Reallocate(2 * PageSize)
	a.Allocate(0, 1<<32).Reallocate(PageSize)
	a.Allocate(0, 1<<32) // never sized: no region
	if s := p.Stats(); s.Live != 2 || s.ReservedBytes != 3*PageSize {
		t.Fatalf("before release: %+v", s)
	}
	a.Release()
	a.Release()
	if s := p.Stats(); s.Live != 0 || s.Pooled != 2 || s.InUseBytes != 0 {
		t.Fatalf("after release: %+v", s)
	}
}

func TestMaxIdleBound(t *testing.T) {
	p := newTestPool(t, 2)
	a := p.Allocator(1 << 32)
	for range 5 {
		a.Allocate(0, 1<<32).Reallocate(PageSize)
	}
	a.Release()
	p.waitUnmapped()
	if s := p.Stats(); s.Pooled != 2 || s.Live != 0 || s.ReservedBytes != 2*PageSize {
		t.Fatalf("after freeing 5 with MaxIdle 2: %+v", s)
	}
	p.Close()
	if s := p.Stats(); s.Pooled != 0 {
		t.Fatalf("after Close: %+v", s)
	}
}

func TestMapFailure(t *testing.T) {
	p := newTestPool(t, 4)
	p.mmap = func(n uint64) ([]byte, error) { return nil, ErrMap }
	a := p.Allocator(1 << 32)
	m := a.Allocate(0, 1<<32)
	if m == nil {
		t.Fatal("Allocate returned nil")
	}
	if m.Reallocate(0) != nil || m.Reallocate(PageSize) != nil {
		t.Fatal("memory without a region returned a buffer")
	}
	m.Free()
	if err := a.Err(); !errors.Is(err, ErrMap) {
		t.Fatalf("Err() = %v, want ErrMap", err)
	}
	if s := p.Stats(); s.Live != 0 || s.Pooled != 0 {
		t.Fatalf("after failed map: %+v", s)
	}
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		in      Config
		reserve uint64
		maxIdle int
	}{
		{Config{}, DefaultReserve, DefaultMaxIdle},
		{Config{Reserve: 1 << 40, MaxIdle: -1}, 1<<32 - PageSize, 0},
		{Config{Reserve: PageSize + 5, MaxIdle: 3}, PageSize, 3},
		{Config{Reserve: 5}, PageSize, DefaultMaxIdle},
	}
	for _, tt := range tests {
		got := tt.in.withDefaults()
		if got.Reserve != tt.reserve || got.MaxIdle != tt.maxIdle {
			t.Errorf("%+v.withDefaults() = %+v, want Reserve %d MaxIdle %d",
				tt.in, got, tt.reserve, tt.maxIdle)
		}
	}
}

func TestConcurrentAllocations(t *testing.T) {
	p := newTestPool(t, 8)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 16 {
		wg.Go(func() {
			a := p.Allocator(uint64(4+g%4) * PageSize)
			for i := range 100 {
				m := a.Allocate(0, 1<<32)
				b := m.Reallocate(PageSize)
				if b == nil {
					errs <- "initial page refused"
					return
				}
				if b[0] != 0 || b[PageSize-1] != 0 {
					errs <- "reused region not zero"
					return
				}
				b[0], b[PageSize-1] = byte(g), byte(i)
				b = m.Reallocate(4 * PageSize)
				if b == nil || b[0] != byte(g) {
					errs <- "grow lost contents or was refused"
					return
				}
				b[len(b)-1] = 1
				m.Free()
				if i%2 == 0 {
					m.Free()
				}
			}
			a.Release()
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// MaxIdle bounds each size class; without in-place remapping, growth leaves regions
	// of the smaller classes pooled too.
	if s := p.Stats(); s.Live != 0 || (remapInPlace && s.Pooled > 8) || s.InUseBytes != 0 {
		t.Fatalf("after concurrent use: %+v", s)
	}
}

// TestSurplusRegionsUnmappedByCloseTime frees regions that no class keeps (MaxIdle below
// zero keeps none) from several goroutines, so the unmapper goroutine runs while frees
// go on, and checks that Close leaves nothing mapped and no unmapper running.
func TestSurplusRegionsUnmappedByCloseTime(t *testing.T) {
	p := NewPool(Config{Reserve: 1 << 30, MaxIdle: -1})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				a := p.Allocator(1 << 32)
				b := a.Allocate(0, 1<<32).Reallocate(2 * PageSize)
				b[0] = 1
				a.Release()
			}
		}()
	}
	wg.Wait()
	p.Close()
	p.mu.Lock()
	running, doomed := p.unmapping, len(p.doomed)
	p.mu.Unlock()
	if s := p.Stats(); s.ReservedBytes != 0 || s.Live != 0 || s.Pooled != 0 || running || doomed != 0 {
		t.Fatalf("after Close: %+v, unmapper running %v, %d regions waiting", s, running, doomed)
	}
	// After Close a free unmaps at once.
	a := p.Allocator(1 << 32)
	a.Allocate(0, 1<<32).Reallocate(PageSize)
	a.Release()
	if s := p.Stats(); s.ReservedBytes != 0 {
		t.Fatalf("a region freed after Close is still mapped: %+v", s)
	}
}
