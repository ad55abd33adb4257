//go:build !linux && !darwin && !freebsd && !windows

package linmem

import (
	"errors"
	"fmt"
)

// mapRegion is implemented on Linux, macOS, FreeBSD and Windows; elsewhere every
// allocation fails with ErrMap, so no process can be instantiated.
func mapRegion(n uint64) ([]byte, error) {
	return nil, fmt.Errorf("mmap %d bytes: %w: %w", n, ErrMap, errors.ErrUnsupported)
}

func remapRegion([]byte, uint64) ([]byte, error) { return nil, errors.ErrUnsupported }

func resident([]byte, []byte) error { return errors.ErrUnsupported }

func swapConfigured() bool { return true }

func discard([]byte) error { return errors.ErrUnsupported }

func unmapRegion([]byte) error { return errors.ErrUnsupported }

func commit([]byte, uint64, uint64) error { return nil }

// remapInPlace is false: a growing memory is copied into a region of the next size class
// and its old region goes back to the pool.
const remapInPlace = false
