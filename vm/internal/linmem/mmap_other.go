//go:build !linux

package linmem

import (
	"errors"
	"fmt"
)

// mapRegion is only implemented on Linux; elsewhere every allocation fails
// with ErrMap and the caller should use wazero's default allocator.
func mapRegion(n uint64) ([]byte, error) {
	return nil, fmt.Errorf("mmap %d bytes: %w: %w", n, ErrMap, errors.ErrUnsupported)
}

func remapRegion([]byte, uint64) ([]byte, error) { return nil, errors.ErrUnsupported }

func resident([]byte, []byte) error { return errors.ErrUnsupported }

func swapConfigured() bool { return true }

func discard([]byte) error { return errors.ErrUnsupported }

func unmapRegion([]byte) error { return errors.ErrUnsupported }
