package linmem

import (
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// memory is one linear memory backed by a pool region. Its base address
// never changes, so it can also back a shared memory.
type memory struct {
	owner *Allocator
	max   uint64 // largest size Reallocate accepts

	mu    sync.Mutex
	reg   *region // nil once freed, or if mapping failed
	size  uint64
	sized bool // the first (initial) Reallocate has succeeded
}

var _ experimental.LinearMemory = (*memory)(nil)

// Reallocate implements experimental.LinearMemory. It returns the first size
// bytes of the region, or nil when size exceeds the limit (memory.grow then
// yields -1) or the memory has no region.
func (m *memory) Reallocate(size uint64) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reg == nil {
		return nil
	}
	if size > m.max {
		if !m.sized {
			m.owner.fail(fmt.Errorf("%w: %d bytes > %d", ErrMemoryLimit, size, m.max))
		}
		return nil
	}
	if b := m.owner.budget; b != nil && size > m.size {
		if err := b.Reserve(size - m.size); err != nil {
			if !m.sized {
				m.owner.fail(fmt.Errorf("%w: %w", ErrMemoryLimit, err))
			}
			return nil
		}
	}
	if size > m.reg.dirty {
		// Windows reserves address space and commits pages as memory grows; elsewhere
		// this is free (the pages are already mapped and charged on first touch).
		if err := commit(m.reg.mem, m.reg.dirty, size); err != nil {
			if b := m.owner.budget; b != nil && size > m.size {
				b.Release(size - m.size)
			}
			if !m.sized {
				m.owner.fail(fmt.Errorf("%w: %w", ErrMap, err))
			}
			return nil
		}
	}
	m.sized = true
	m.reg.dirty = max(m.reg.dirty, size)
	pool := m.owner.pool
	pool.inUse.Add(size - m.size) // wraps correctly when shrinking
	m.size = size
	return m.reg.mem[:size:size]
}

// Free implements experimental.LinearMemory: it returns the region to the
// pool. Later calls do nothing.
func (m *memory) Free() {
	m.mu.Lock()
	r := m.reg
	m.reg = nil
	pool := m.owner.pool
	pool.inUse.Add(-m.size)
	if b := m.owner.budget; b != nil && r != nil {
		b.Release(m.size)
	}
	m.size = 0
	m.mu.Unlock()
	if r != nil {
		pool.release(r)
	}
}
