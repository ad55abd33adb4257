package linmem

import (
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// Allocator creates the linear memories of one process. Pass it to wazero
// with experimental.WithMemoryAllocator (or use Instantiate). It is safe for
// concurrent use.
type Allocator struct {
	pool   *Pool
	limit  uint64
	budget Budget // nil: only limit bounds the memory

	mu   sync.Mutex
	mems []*memory
	err  error

	// first and firstSlot hold the first memory and its entry in mems: a process has
	// one memory, which then costs no allocation of its own.
	first     memory
	firstSlot [1]*memory
}

var _ experimental.MemoryAllocator = (*Allocator)(nil)

// Allocate implements experimental.MemoryAllocator. The memory may grow to
// min(limit, max, pool Reserve) bytes. It never returns nil: if no region
// can be mapped the memory refuses every size and Err reports why.
func (a *Allocator) Allocate(_, max uint64) experimental.LinearMemory {
	a.mu.Lock()
	defer a.mu.Unlock()
	var m *memory
	if a.first.owner == nil {
		m = &a.first
		a.mems = a.firstSlot[:0]
	} else {
		m = &memory{}
	}
	m.owner, m.max = a, min(a.limit, max, a.pool.cfg.Reserve)
	a.mems = append(a.mems, m)
	return m
}

// Budget is a memory account shared with other users (the process's other memory, the
// runtime's total). Reserve returns an error, and reserves nothing, when n more bytes do
// not fit.
type Budget interface {
	Reserve(n uint64) error
	Release(n uint64)
}

// SetBudget makes every growth of the allocator's memories also reserve its bytes in b
// (released when the memory is freed). Call it before the first Allocate.
func (a *Allocator) SetBudget(b Budget) { a.budget = b }

// Err returns why the last instantiation could not get its memory: an error
// wrapping ErrMap or ErrMemoryLimit, or nil. Refused growth is not recorded.
func (a *Allocator) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *Allocator) fail(err error) {
	a.mu.Lock()
	a.err = err
	a.mu.Unlock()
}

// Release frees every memory this allocator created that is not freed yet.
// Call it once the instance is closed or its instantiation failed; wazero
// drops the memory of a failed instantiation without freeing it. Safe to
// call more than once.
func (a *Allocator) Release() {
	a.mu.Lock()
	mems := a.mems
	a.mems = nil
	a.mu.Unlock()
	for _, m := range mems {
		m.Free()
	}
}

// Size is the current size in bytes of the memories this allocator made and has not
// freed. Unlike reading wazero's memory, it is safe while the guest runs (memory.grow).
func (a *Allocator) Size() uint64 {
	a.mu.Lock()
	mems := a.mems
	a.mu.Unlock()
	var n uint64
	for _, m := range mems {
		m.mu.Lock()
		n += m.size
		m.mu.Unlock()
	}
	return n
}
