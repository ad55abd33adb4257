//go:build linux

package linmem

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// mapRegion reserves n bytes of zeroed, readable and writable memory that is
// not charged until touched.
func mapRegion(n uint64) ([]byte, error) {
	b, err := unix.Mmap(-1, 0, int(n), unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return nil, fmt.Errorf("mmap %d bytes: %w: %w", n, ErrMap, err)
	}
	return b, nil
}

// remapRegion moves the mapping b to one of n bytes; the pages move with it.
func remapRegion(b []byte, n uint64) ([]byte, error) {
	nb, err := unix.Mremap(b, int(n), unix.MREMAP_MAYMOVE)
	if err != nil {
		return nil, fmt.Errorf("mremap %d to %d bytes: %w: %w", len(b), n, ErrMap, err)
	}
	return nb, nil
}

// discard drops the pages of b so that they read back as zero.
func discard(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if err := unix.Madvise(b, unix.MADV_DONTNEED); err != nil {
		return fmt.Errorf("madvise %d bytes: %w", len(b), err)
	}
	return nil
}

// unmapRegion releases a region returned by mapRegion.
func unmapRegion(b []byte) error {
	if err := unix.Munmap(b); err != nil {
		return fmt.Errorf("munmap %d bytes: %w", len(b), err)
	}
	return nil
}
