package linmem

import (
	"log/slog"
	"math/bits"
	"os"
	"sync"
	"sync/atomic"
)

// Pool hands out mmap regions in power-of-two size classes and keeps a bounded number of
// freed ones per class for reuse. It is safe for concurrent use.
type Pool struct {
	cfg    Config
	mmap   func(n uint64) ([]byte, error)           // mapRegion; replaced in tests
	remap  func(b []byte, n uint64) ([]byte, error) // remapRegion; replaced in tests
	inUse  atomic.Uint64                            // sum of the current lengths of live memories
	mapped atomic.Uint64                            // bytes of live and idle regions

	scrubByHand bool // zero resident pages with stores instead of madvise (no swap)

	mu     sync.Mutex
	idle   [numClasses][]*region
	pooled int
	live   int
	closed bool
}

// region is one mapping of a class size.
type region struct {
	mem   []byte
	dirty uint64 // bytes handed out since the last discard
}

// numClasses covers the sizes MinRegion << c up to 4 GiB.
const numClasses = 32 - minRegionShift + 1

// classOf is the smallest class whose regions hold n bytes.
func classOf(n uint64) int {
	if n <= MinRegion {
		return 0
	}
	return bits.Len64(n-1) - minRegionShift
}

// classSize is the size of the regions of class c.
func classSize(c int) uint64 { return MinRegion << c }

// NewPool returns an empty pool; regions are mapped on demand.
func NewPool(cfg Config) *Pool {
	return &Pool{cfg: cfg.withDefaults(), mmap: mapRegion, remap: remapRegion, scrubByHand: !swapConfigured()}
}

// Reserve returns the largest size in bytes a memory from this pool may reach.
func (p *Pool) Reserve() uint64 { return p.cfg.Reserve }

// Allocator returns an allocator for one process whose linear memory may
// hold at most limit bytes (the process's max_memory).
func (p *Pool) Allocator(limit uint64) *Allocator {
	return &Allocator{pool: p, limit: limit}
}

// acquire takes an idle region of class c or maps a new one.
func (p *Pool) acquire(c int) (*region, error) {
	p.mu.Lock()
	if n := len(p.idle[c]); n > 0 {
		r := p.idle[c][n-1]
		p.idle[c][n-1] = nil
		p.idle[c] = p.idle[c][:n-1]
		p.pooled--
		p.live++
		p.mu.Unlock()
		return r, nil
	}
	p.live++
	p.mu.Unlock()

	mem, err := p.mmap(classSize(c))
	if err != nil {
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		return nil, err
	}
	p.mapped.Add(uint64(len(mem)))
	return &region{mem: mem}, nil
}

// grow moves live region r to a mapping of class c, keeping its first keep bytes. The
// kernel moves the pages (mremap), so nothing is copied and untouched pages stay
// unbacked. If that fails, a region of class c is acquired and the bytes are copied.
func (p *Pool) grow(r *region, c int, keep uint64) (*region, error) {
	old := uint64(len(r.mem))
	if mem, err := p.remap(r.mem, classSize(c)); err == nil {
		p.mapped.Add(uint64(len(mem)) - old)
		r.mem = mem
		return r, nil
	}
	n, err := p.acquire(c)
	if err != nil {
		return nil, err
	}
	// Windows commits pages as a memory grows: the new region needs them before the copy.
	if err := commit(n.mem, n.dirty, keep); err != nil {
		p.release(n)
		return nil, err
	}
	copy(n.mem[:keep], r.mem[:keep])
	n.dirty = keep
	p.release(r)
	return n, nil
}

// release zeroes r and keeps it for reuse, or unmaps it when its class is full, the pool
// is closed, or zeroing failed.
func (p *Pool) release(r *region) {
	err := p.scrub(r)
	r.dirty = 0
	c := classOf(uint64(len(r.mem)))
	p.mu.Lock()
	p.live--
	keep := err == nil && !p.closed && len(p.idle[c]) < p.cfg.MaxIdle
	if keep {
		p.idle[c] = append(p.idle[c], r)
		p.pooled++
	}
	p.mu.Unlock()
	if err != nil {
		slog.Warn("linmem: dropping region", "err", err)
	}
	if !keep {
		p.unmap(r)
	}
}

// Scrubbing by hand: a region whose dirty part spans at most scrubPages OS pages, of
// which at most scrubResident are resident, is zeroed by clearing those pages.
const (
	scrubPages    = 1024
	scrubResident = 32
)

// osPage is the kernel's page size, the unit of mincore.
var osPage = uint64(os.Getpagesize())

// scrub makes the dirty part of r read as zero. madvise(MADV_DONTNEED) does it by
// dropping the pages, but costs a TLB shootdown on every core running this process and
// the next user of the region faults the pages in again. A small memory touches few
// pages: finding them with mincore and clearing them keeps them resident for the next
// process, without either cost. Only without swap: a swapped-out page is not resident
// but still holds data.
func (p *Pool) scrub(r *region) error {
	dirty := (r.dirty + osPage - 1) &^ (osPage - 1)
	if dirty > uint64(len(r.mem)) {
		dirty = uint64(len(r.mem))
	}
	if !p.scrubByHand || dirty == 0 || dirty/osPage > scrubPages {
		return discard(r.mem[:r.dirty])
	}
	var vec [scrubPages]byte
	b := r.mem[:dirty]
	if err := resident(b, vec[:]); err != nil {
		return discard(r.mem[:r.dirty])
	}
	n := int(dirty / osPage)
	count := 0
	for _, v := range vec[:n] {
		count += int(v & 1)
	}
	if count > scrubResident {
		return discard(r.mem[:r.dirty])
	}
	for i, v := range vec[:n] {
		if v&1 != 0 {
			clear(b[uint64(i)*osPage : uint64(i+1)*osPage])
		}
	}
	return nil
}

func (p *Pool) unmap(r *region) {
	p.mapped.Add(-uint64(len(r.mem)))
	if err := unmapRegion(r.mem); err != nil {
		slog.Warn("linmem: leaking region", "err", err)
	}
}

// Close unmaps the idle regions; regions still in use are unmapped when
// freed. The pool can still allocate afterwards but keeps nothing.
func (p *Pool) Close() {
	p.mu.Lock()
	var idle []*region
	for c := range p.idle {
		idle = append(idle, p.idle[c]...)
		p.idle[c] = nil
	}
	p.pooled = 0
	p.closed = true
	p.mu.Unlock()
	for _, r := range idle {
		p.unmap(r)
	}
}

// Trim gives the memory of the idle regions back to the OS after a burst: of each size
// class it keeps keep regions, with their pages dropped (they read back as zero, which a
// pooled region does anyway), and unmaps the others. Regions freed by hand-scrubbing
// (see scrub) keep their pages resident for the next process; a pool filled by a mass
// death would otherwise hold up to MaxIdle × 128 KiB per class for good.
func (p *Pool) Trim(keep int) {
	keep = max(keep, 0)
	p.mu.Lock()
	var kept, dropped []*region
	for c := range p.idle {
		n := min(len(p.idle[c]), keep)
		kept = append(kept, p.idle[c][:n]...)
		dropped = append(dropped, p.idle[c][n:]...)
		p.idle[c] = nil // a new, smaller array when regions come back
	}
	p.pooled = 0
	p.mu.Unlock()
	for _, r := range dropped {
		p.unmap(r)
	}
	for _, r := range kept {
		if err := discard(r.mem); err != nil {
			slog.Warn("linmem: dropping region", "err", err)
			p.unmap(r)
			continue
		}
		p.mu.Lock()
		c := classOf(uint64(len(r.mem)))
		keepIt := !p.closed && len(p.idle[c]) < p.cfg.MaxIdle
		if keepIt {
			p.idle[c] = append(p.idle[c], r)
			p.pooled++
		}
		p.mu.Unlock()
		if !keepIt {
			p.unmap(r)
		}
	}
}
