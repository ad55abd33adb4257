package tickthread

import (
	"testing"
	"unsafe"
)

// TestAcquireWaitForRelease checks that a full table makes Acquire report nil and
// AcquireWait wait until a cell is released, then hand out that cell with the pending
// word set.
func TestAcquireWaitForRelease(t *testing.T) {
	var busy uint32
	var pending uint64
	table := NewTable(&busy, &pending)
	cells := make([]*unsafe.Pointer, MaxCells)
	for i := range cells {
		if cells[i] = table.Acquire(); cells[i] == nil {
			t.Fatalf("Acquire %d of %d returned nil", i+1, MaxCells)
		}
	}
	if c := table.Acquire(); c != nil {
		t.Fatal("Acquire on a full table returned a cell")
	}
	got := make(chan *unsafe.Pointer)
	go func() { got <- table.AcquireWait() }()
	select {
	case c := <-got:
		t.Fatalf("AcquireWait returned %p on a full table", c)
	default:
	}
	table.Release(cells[1234])
	c := <-got
	if c != cells[1234] {
		t.Fatalf("AcquireWait returned %p, want the released cell %p", c, cells[1234])
	}
	if w := (*[2]unsafe.Pointer)(unsafe.Pointer(c))[1]; w != unsafe.Pointer(&pending) {
		t.Fatalf("cell's pending word is %p, want %p", w, &pending)
	}
}
