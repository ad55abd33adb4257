//go:build windows

package linmem

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mapRegion reserves n bytes of address space (VirtualAlloc MEM_RESERVE). Nothing is
// usable or charged until commit makes it so, page range by page range, as the memory
// grows.
func mapRegion(n uint64) ([]byte, error) {
	addr, err := windows.VirtualAlloc(0, uintptr(n), windows.MEM_RESERVE, windows.PAGE_READWRITE)
	if err != nil {
		return nil, fmt.Errorf("VirtualAlloc(MEM_RESERVE) %d bytes: %w: %w", n, ErrMap, err)
	}
	// The address is outside the Go heap; this conversion keeps vet's unsafeptr check
	// quiet about a uintptr that is not a Go pointer.
	base := *(*unsafe.Pointer)(unsafe.Pointer(&addr))
	return unsafe.Slice((*byte)(base), n), nil
}

// commit makes bytes [from, to) of a region usable (VirtualAlloc MEM_COMMIT); committed
// pages read as zero until written. Committing pages that already are is harmless.
func commit(mem []byte, from, to uint64) error {
	if to <= from {
		return nil
	}
	_, err := windows.VirtualAlloc(uintptr(unsafe.Pointer(&mem[from])), uintptr(to-from), windows.MEM_COMMIT, windows.PAGE_READWRITE)
	if err != nil {
		return fmt.Errorf("VirtualAlloc(MEM_COMMIT) %d bytes: %w", to-from, err)
	}
	return nil
}

// discard decommits the pages of b (VirtualFree MEM_DECOMMIT): they stop costing memory
// and read back as zero once committed again.
func discard(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if err := windows.VirtualFree(uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), windows.MEM_DECOMMIT); err != nil {
		return fmt.Errorf("VirtualFree(MEM_DECOMMIT) %d bytes: %w", len(b), err)
	}
	return nil
}

// unmapRegion releases a region returned by mapRegion.
func unmapRegion(b []byte) error {
	if err := windows.VirtualFree(uintptr(unsafe.Pointer(&b[0])), 0, windows.MEM_RELEASE); err != nil {
		return fmt.Errorf("VirtualFree(MEM_RELEASE) %d bytes: %w", len(b), err)
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
