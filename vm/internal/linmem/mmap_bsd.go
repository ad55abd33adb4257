//go:build darwin || freebsd

package linmem

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapRegion reserves n bytes of zeroed, readable and writable memory. Pages cost memory
// only once touched (both kernels overcommit anonymous private mappings).
// The pointer variants of x/sys/unix keep no record of the mapping (see mmap_linux.go).
func mapRegion(n uint64) ([]byte, error) {
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("mmap %d bytes: %w: %w", n, ErrMap, err)
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// discard drops the pages of b so that they read back as zero. madvise(MADV_DONTNEED)
// does not promise zeroes on these kernels, so the range is mapped afresh in place
// (MAP_FIXED), which frees the old pages and gives zero-filled ones.
func discard(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, err := unix.MmapPtr(-1, 0, unsafe.Pointer(&b[0]), uintptr(len(b)),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_FIXED)
	if err != nil {
		return fmt.Errorf("mmap(MAP_FIXED) %d bytes: %w", len(b), err)
	}
	return nil
}

// commit makes bytes [from, to) of a region usable. The mapping already is.
func commit([]byte, uint64, uint64) error { return nil }

// unmapRegion releases a region returned by mapRegion.
func unmapRegion(b []byte) error {
	if err := unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b))); err != nil {
		return fmt.Errorf("munmap %d bytes: %w", len(b), err)
	}
	return nil
}

// remapRegion is not available here: a memory that outgrows its region is copied into a
// region of the next size class instead (only speed differs).
func remapRegion([]byte, uint64) ([]byte, error) { return nil, errors.ErrUnsupported }

// resident is not available here; scrubbing by hand is off (swapConfigured), so it is
// never asked.
func resident([]byte, []byte) error { return errors.ErrUnsupported }

// swapConfigured reports true so freed regions are always discarded through the OS.
func swapConfigured() bool { return true }

// remapInPlace is false: a growing memory is copied into a region of the next size class
// and its old region goes back to the pool.
const remapInPlace = false
