//go:build linux

package linmem

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The regions are mapped with the pointer variants of x/sys/unix (MmapPtr, MremapPtr,
// MunmapPtr): its slice variants record every live mapping in one map under one lock,
// and a Go map keeps its peak size, so a burst of 100,000 processes left 6.8 MB of Go
// heap behind for good (see RATIONALE.md, "Why does the runtime call
// debug.FreeOSMemory after mass deaths?").

// mapRegion reserves n bytes of zeroed, readable and writable memory that is
// not charged until touched.
func mapRegion(n uint64) ([]byte, error) {
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n), unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return nil, fmt.Errorf("mmap %d bytes: %w: %w", n, ErrMap, err)
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// remapRegion moves the mapping b to one of n bytes; the pages move with it.
func remapRegion(b []byte, n uint64) ([]byte, error) {
	p, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)), nil, uintptr(n), unix.MREMAP_MAYMOVE)
	if err != nil {
		return nil, fmt.Errorf("mremap %d to %d bytes: %w: %w", len(b), n, ErrMap, err)
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// resident fills vec[i] with 1 for each resident page of b (whose length is a multiple
// of pageSize and at most len(vec) pages).
func resident(b []byte, vec []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0])))
	if e != 0 {
		return fmt.Errorf("mincore %d bytes: %w", len(b), e)
	}
	return nil
}

// swapConfigured reports whether the machine has swap space: a swapped-out page is not
// resident, so scrubbing by residency is only safe without swap.
func swapConfigured() bool {
	b, err := os.ReadFile("/proc/swaps")
	if err != nil {
		return true
	}
	return strings.Count(string(b), "\n") > 1 // a header line, then one line per device
}

// discard drops the pages of b so that they read back as zero.
func discard(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if serializeDiscard {
		discardMu.Lock()
		defer discardMu.Unlock()
	}
	if err := unix.Madvise(b, unix.MADV_DONTNEED); err != nil {
		return fmt.Errorf("madvise %d bytes: %w", len(b), err)
	}
	return nil
}

// discardMu makes the madvise calls of discard one at a time. Linux gives each such call
// a batch of TLB invalidations, and a call that ends while another thread of the process
// has a batch open on the same address space cannot tell which entries that batch left
// behind: it flushes the whole TLB of every CPU that runs the process, with an
// inter-processor interrupt to each (mm_tlb_flush_nested in tlb_finish_mmu). Process
// exits on two workers scrub at the same time all the time, so most scrubs paid that flush
// although the pages they drop are almost never present (a scrub drops the pages between
// the runs it keeps resident; see scrubRuns). A call takes about a microsecond, so the
// lock costs little: see BenchmarkScrubConcurrent and RATIONALE.md.
var discardMu sync.Mutex

// serializeDiscard turns discardMu on; BenchmarkScrubConcurrent compares both ways.
var serializeDiscard = true

// commit makes bytes [from, to) of a region usable. The mapping already is.
func commit([]byte, uint64, uint64) error { return nil }

// unmapRegion releases a region returned by mapRegion.
func unmapRegion(b []byte) error {
	if err := unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b))); err != nil {
		return fmt.Errorf("munmap %d bytes: %w", len(b), err)
	}
	return nil
}

// remapInPlace reports whether a growing memory keeps its region (mremap) instead of
// being copied into a region of the next size class.
const remapInPlace = true
