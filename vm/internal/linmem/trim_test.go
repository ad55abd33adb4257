package linmem

import (
	"runtime"
	"testing"
)

// TestTrim: after a burst, Trim unmaps the idle regions past keep and drops the pages of
// those it keeps, which read back as zero when reused.
func TestTrim(t *testing.T) {
	p := newTestPool(t, 8)
	a := p.Allocator(1 << 32)
	for range 6 {
		b := a.Allocate(0, 1<<32).Reallocate(PageSize)
		b[0], b[len(b)-1] = 1, 2 // one or two resident pages: scrubbed by hand, kept resident
	}
	a.Release()
	if s := p.Stats(); s.Pooled != 6 {
		t.Fatalf("after freeing 6: %+v", s)
	}
	kept := p.idle[0][:2]
	p.Trim(2)
	if s := p.Stats(); s.Pooled != 2 || s.Live != 0 || s.ReservedBytes != 2*PageSize {
		t.Fatalf("after Trim(2): %+v", s)
	}
	if runtime.GOOS == "linux" {
		vec := make([]byte, PageSize/osPage)
		for _, r := range kept {
			if err := resident(r.mem, vec); err != nil {
				t.Fatal(err)
			}
			for i, v := range vec {
				if v&1 != 0 {
					t.Fatalf("page %d of a kept region is still resident", i)
				}
			}
		}
	}
	b := p.Allocator(1<<32).Allocate(0, 1<<32).Reallocate(PageSize)
	for i, v := range b {
		if v != 0 {
			t.Fatalf("byte %d = %#x after reuse, want 0", i, v)
		}
	}
	p.Trim(0)
	if s := p.Stats(); s.Pooled != 0 || s.Live != 1 {
		t.Fatalf("after Trim(0) with one region in use: %+v", s)
	}
}
