package linmem

import "testing"

func TestAllocatorSize(t *testing.T) {
	p := NewPool(Config{Reserve: 8 * PageSize})
	defer p.Close()
	a := p.Allocator(8 * PageSize)
	m := a.Allocate(0, 8*PageSize)
	if b := m.Reallocate(2 * PageSize); len(b) != 2*PageSize {
		t.Fatalf("initial size %d", len(b))
	}
	if got := a.Size(); got != 2*PageSize {
		t.Fatalf("Size = %d, want %d", got, 2*PageSize)
	}
	m.Reallocate(5 * PageSize)
	if got := a.Size(); got != 5*PageSize {
		t.Fatalf("Size after grow = %d, want %d", got, 5*PageSize)
	}
	a.Release()
	if got := a.Size(); got != 0 {
		t.Fatalf("Size after release = %d, want 0", got)
	}
}
