package tickthread

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// MaxCells is the number of cells in a Table: a Table is 1 MiB of address space, of which
// only the cells ever handed out are touched (16 bytes each).
const MaxCells = 65536

// Table holds the cells a tick thread goes through after each read: a cell holds the
// address of a word (nil when empty), and the thread stores PreemptBound in every word a
// cell names. The vm package gives a cell to each worker goroutine; while a worker
// runs a process, wazero publishes there the stack bound word of the process's
// innermost wasm call (experimental.Suspender's Cell), so that a tick makes the call's
// next function entry exit to the host, which yields (RATIONALE.md: "Why does a tick
// preempt function entries through wazero's stack bound?").
//
// The thread adds one to a busy counter (a locked add, a full barrier) before it reads
// the cells and takes it off after its last store, so an address taken out of a cell
// and followed by a wait for the counter to be zero is not written to afterwards
// (experimental.QuiescePreempt; the counter is experimental.PreemptBusy, shared by
// every table).
//
// A cell is two words: the address the thread stores through, and the address of the
// table's pending word, which wazero reads after it has published a call's bound (with a
// locked store): a non-negative pending word means a tick no process has claimed yet,
// which a call published after the thread's pass must not miss (experimental.Suspender's
// Cell).
type Table struct {
	busy  *uint32                     // offset 0 (tickthread_linux_amd64.s)
	n     int64                       // offset 8: the cells in use are [0, n)
	cells [MaxCells][2]unsafe.Pointer // offset 16, 16 bytes each

	pending unsafe.Pointer // the second word of every cell handed out
	mu      sync.Mutex
	freed   sync.Cond // signalled by Release (AcquireWait waits on it)
	free    []int32   // released cells below n, taken again before n grows
}

// PreemptBound is the value the thread stores (experimental.PreemptBound).
const PreemptBound = ^uintptr(0)

// NewTable returns an empty table whose passes hold busy up; pending (may be nil) is the
// word whose non-negative value means an unclaimed tick (the epoch word).
func NewTable(busy *uint32, pending *uint64) *Table {
	t := &Table{busy: busy, pending: unsafe.Pointer(pending)}
	t.freed.L = &t.mu
	return t
}

// Acquire returns a free cell, empty, or nil when all MaxCells are taken.
func (t *Table) Acquire() *unsafe.Pointer {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.acquireLocked()
}

// AcquireWait is Acquire, waiting for a Release when all MaxCells are taken.
func (t *Table) AcquireWait() *unsafe.Pointer {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if c := t.acquireLocked(); c != nil {
			return c
		}
		t.freed.Wait()
	}
}

func (t *Table) acquireLocked() *unsafe.Pointer {
	if k := len(t.free); k > 0 {
		i := t.free[k-1]
		t.free = t.free[:k-1]
		return &t.cells[i][0]
	}
	n := atomic.LoadInt64(&t.n)
	if n == MaxCells {
		return nil
	}
	t.cells[n][1] = t.pending // before the thread may read the cell
	atomic.StoreInt64(&t.n, n+1)
	return &t.cells[n][0]
}

// Release empties a cell returned by Acquire and makes it free again.
func (t *Table) Release(c *unsafe.Pointer) {
	if c == nil {
		return
	}
	atomic.StorePointer(c, nil)
	i := (uintptr(unsafe.Pointer(c)) - uintptr(unsafe.Pointer(&t.cells[0][0]))) / unsafe.Sizeof(t.cells[0])
	t.mu.Lock()
	t.free = append(t.free, int32(i))
	t.mu.Unlock()
	t.freed.Signal()
}

// InUse returns the number of cells that hold an address now.
func (t *Table) InUse() int {
	k := 0
	for i := range t.cells[:atomic.LoadInt64(&t.n)] {
		if atomic.LoadPointer(&t.cells[i][0]) != nil {
			k++
		}
	}
	return k
}

// Poison does what the tick thread does after a read, from a goroutine: where no tick
// thread runs, the clock's goroutine calls it at each tick. The cells are pointers, so
// the words they name stay allocated while a goroutine goes through them.
func (t *Table) Poison() {
	atomic.AddUint32(t.busy, 1)
	for i := range t.cells[:atomic.LoadInt64(&t.n)] {
		if w := atomic.LoadPointer(&t.cells[i][0]); w != nil {
			atomic.StoreUintptr((*uintptr)(w), PreemptBound)
		}
	}
	atomic.AddUint32(t.busy, ^uint32(0))
}
