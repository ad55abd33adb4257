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

	// Surplus regions (their class was full) wait in doomed for the unmapper goroutine,
	// which runs while there are some (see unmapLater); unmappers counts it for Close.
	doomed    []*region
	unmapping bool
	unmappers sync.WaitGroup
}

// region is one mapping of a class size.
type region struct {
	mem   []byte
	dirty uint64 // bytes handed out since the last discard

	// The pages a scrub by hand left resident, as runs of OS pages (see scrubRuns):
	// valid while known is set; uses counts the scrubs since mincore last found them.
	runs  [keepRuns]pageRun
	nruns uint8
	uses  uint8
	known bool
}

// pageRun is the OS pages [first, first+n) of a region.
type pageRun struct{ first, n uint32 }

// forget drops what r knows of its resident pages (they were discarded).
func (r *region) forget() { r.known, r.nruns, r.uses = false, 0, 0 }

// learn records the runs of resident pages that vec (mincore's answer) shows, if
// there are at most keepRuns of them.
func (r *region) learn(vec []byte) {
	r.forget()
	for i := 0; i < len(vec); {
		if vec[i]&1 == 0 {
			i++
			continue
		}
		j := i
		for j < len(vec) && vec[j]&1 != 0 {
			j++
		}
		if int(r.nruns) == keepRuns {
			r.nruns = 0
			return
		}
		r.runs[r.nruns] = pageRun{first: uint32(i), n: uint32(j - i)}
		r.nruns++
		i = j
	}
	r.known = true
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
// is closed, or zeroing failed. A region of a class that is full already is not zeroed
// and is unmapped by the unmapper goroutine (unmapLater).
func (p *Pool) release(r *region) {
	c := classOf(uint64(len(r.mem)))
	p.mu.Lock()
	full := p.closed || len(p.idle[c]) >= p.cfg.MaxIdle
	if full {
		p.live--
	}
	p.mu.Unlock()
	if full {
		p.unmapLater(r)
		return
	}
	err := p.scrub(r)
	r.dirty = 0
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
		p.unmapLater(r)
	}
}

// unmapLater hands r to the unmapper goroutine, starting it if it is not running. An
// unmap of a region with present pages makes Linux flush the TLB of every CPU that runs
// the process and wait for each to answer its interrupt, 25-30 µs on this project's VM
// (RATIONALE.md, "Why are surplus regions unmapped by a goroutine of their own?"); a
// burst of deaths (the end of a 10,000-process ring, a link cascade) used to pay it on
// the workers, one region at a time, between the processes still running. After Close,
// r is unmapped at once.
func (p *Pool) unmapLater(r *region) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.unmap(r)
		return
	}
	p.doomed = append(p.doomed, r)
	start := !p.unmapping
	if start {
		p.unmapping = true
		p.unmappers.Add(1)
	}
	p.mu.Unlock()
	if start {
		go p.unmapLoop()
	}
}

// waitUnmapped returns once the surplus regions freed so far are unmapped.
func (p *Pool) waitUnmapped() { p.unmappers.Wait() }

// unmapLoop unmaps the doomed regions until there are none left, then ends.
func (p *Pool) unmapLoop() {
	defer p.unmappers.Done()
	for {
		p.mu.Lock()
		batch := p.doomed
		p.doomed = nil
		if len(batch) == 0 {
			p.unmapping = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		for _, r := range batch {
			p.unmap(r)
		}
	}
}

// Scrubbing by hand: a region whose dirty part spans at most scrubPages OS pages, of
// which at most scrubResident are resident, is zeroed by clearing those pages. A region
// whose resident pages form at most keepRuns runs remembers them and is scrubbed
// without mincore (scrubRuns) until relearnEvery scrubs have passed.
const (
	scrubPages    = 1024
	scrubResident = 32
	keepRuns      = 3
	relearnEvery  = 16
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
		r.forget()
		return discard(r.mem[:r.dirty])
	}
	if r.known && r.uses < relearnEvery {
		r.uses++
		return scrubRuns(r, dirty)
	}
	var vec [scrubPages]byte
	b := r.mem[:dirty]
	if err := resident(b, vec[:]); err != nil {
		r.forget()
		return discard(r.mem[:r.dirty])
	}
	n := int(dirty / osPage)
	count := 0
	for _, v := range vec[:n] {
		count += int(v & 1)
	}
	if count > scrubResident {
		r.forget()
		return discard(r.mem[:r.dirty])
	}
	for i, v := range vec[:n] {
		if v&1 != 0 {
			clear(b[uint64(i)*osPage : uint64(i+1)*osPage])
		}
	}
	r.learn(vec[:n])
	return nil
}

// scrubRuns zeroes the first dirty bytes of r (a multiple of the OS page) from what r
// remembers of its resident pages: it clears those pages, which stay resident, and
// drops the pages between them with madvise. mincore costs about 13 ns for each page
// it reports absent in a page table that has some present (a 17-page Rust guest's
// region: 272 pages, 4 of them resident, 3.7-4.9 µs on this project's VM), while
// madvise passes over absent pages almost for free (0.95 µs for 240) and flushes no
// TLB unless a page was present: a page the last process touched outside the runs is
// dropped, and read back as zero, like every other. It is right whatever the runs say;
// how cheap it is depends on their being current, hence the periodic mincore.
func scrubRuns(r *region, dirty uint64) error {
	b := r.mem[:dirty]
	var from uint64
	for _, run := range r.runs[:r.nruns] {
		start, end := uint64(run.first)*osPage, uint64(run.first+run.n)*osPage
		if start >= dirty {
			break // past what the last process could reach: untouched, still zero
		}
		end = min(end, dirty)
		if start > from {
			if err := discard(b[from:start]); err != nil {
				return err
			}
		}
		clear(b[start:end])
		from = end
	}
	return discard(b[from:])
}

func (p *Pool) unmap(r *region) {
	p.mapped.Add(-uint64(len(r.mem)))
	if err := unmapRegion(r.mem); err != nil {
		slog.Warn("linmem: leaking region", "err", err)
	}
}

// Close unmaps the idle regions and waits for the unmapper to finish the surplus ones;
// regions still in use are unmapped when freed. The pool can still allocate afterwards
// but keeps nothing.
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
	p.unmappers.Wait()
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
		r.forget()
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
