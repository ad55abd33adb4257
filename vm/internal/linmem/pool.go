package linmem

import (
	"log/slog"
	"sync"
	"sync/atomic"
)

// Pool hands out fixed-size mmap regions and keeps a bounded number of freed
// ones for reuse. It is safe for concurrent use.
type Pool struct {
	cfg   Config
	mmap  func(n uint64) ([]byte, error) // mapRegion; replaced in tests
	inUse atomic.Uint64                  // sum of the current lengths of live memories

	mu     sync.Mutex
	idle   []*region
	live   int
	closed bool
}

// region is one mapping of Pool.cfg.Reserve bytes.
type region struct {
	mem   []byte
	dirty uint64 // bytes handed out since the last discard
}

// NewPool returns an empty pool; regions are mapped on demand.
func NewPool(cfg Config) *Pool {
	return &Pool{cfg: cfg.withDefaults(), mmap: mapRegion}
}

// Reserve returns the size in bytes of each region, the hard cap on any
// memory from this pool.
func (p *Pool) Reserve() uint64 { return p.cfg.Reserve }

// Allocator returns an allocator for one process whose linear memory may
// hold at most limit bytes (the process's max_memory).
func (p *Pool) Allocator(limit uint64) *Allocator {
	return &Allocator{pool: p, limit: limit}
}

// acquire takes an idle region or maps a new one.
func (p *Pool) acquire() (*region, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		r := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.live++
		p.mu.Unlock()
		return r, nil
	}
	p.live++
	p.mu.Unlock()

	mem, err := p.mmap(p.cfg.Reserve)
	if err != nil {
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		return nil, err
	}
	return &region{mem: mem}, nil
}

// release zeroes r and keeps it for reuse, or unmaps it when the pool is
// full or closed, or when zeroing failed.
func (p *Pool) release(r *region) {
	err := discard(r.mem[:r.dirty])
	r.dirty = 0
	p.mu.Lock()
	p.live--
	keep := err == nil && !p.closed && len(p.idle) < p.cfg.MaxIdle
	if keep {
		p.idle = append(p.idle, r)
	}
	p.mu.Unlock()
	if err != nil {
		slog.Warn("linmem: dropping region", "err", err)
	}
	if !keep {
		p.unmap(r)
	}
}

func (p *Pool) unmap(r *region) {
	if err := unmapRegion(r.mem); err != nil {
		slog.Warn("linmem: leaking region", "err", err)
	}
}

// Close unmaps the idle regions; regions still in use are unmapped when
// freed. The pool can still allocate afterwards but keeps nothing.
func (p *Pool) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.mu.Unlock()
	for _, r := range idle {
		p.unmap(r)
	}
}
