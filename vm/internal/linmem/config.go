package linmem

// PageSize is the WebAssembly page size in bytes.
const PageSize = 65536

// DefaultReserve is the largest size a linear memory may reach: 512 MiB
// (8192 wasm pages), whatever its declared maximum or the process's
// max_memory. A memory holds address space only for the size class it has
// reached (see MinRegion), so the cap no longer costs address space up front.
const DefaultReserve = 512 << 20

// MinRegion is the smallest region: one wasm page. Regions come in sizes
// MinRegion << k; a memory gets the smallest that holds its initial size and
// moves to the next ones as it grows (mremap: the pages move, nothing is
// copied). One million one-page memories take 64 GiB of address space.
const MinRegion = PageSize

const minRegionShift = 16

// DefaultMaxIdle is the number of freed regions of each size class kept for
// reuse. An idle region costs only address space.
const DefaultMaxIdle = 1024

// Config sizes a Pool. Zero fields take their defaults.
type Config struct {
	// Reserve is the largest size in bytes any memory may reach, rounded
	// down to a whole wasm page and capped below 4 GiB (a 65 536-page memory
	// misbehaves in wazero). Default DefaultReserve.
	Reserve uint64
	// MaxIdle bounds the regions of each size class kept for reuse; surplus
	// freed regions are unmapped. Negative keeps none. Default DefaultMaxIdle.
	MaxIdle int
}

// maxReserve is the largest accepted region: 65 535 pages.
const maxReserve = (1<<32 - PageSize)

func (c Config) withDefaults() Config {
	if c.Reserve == 0 {
		c.Reserve = DefaultReserve
	}
	c.Reserve = min(c.Reserve, maxReserve) &^ (PageSize - 1)
	if c.Reserve == 0 {
		c.Reserve = PageSize
	}
	switch {
	case c.MaxIdle == 0:
		c.MaxIdle = DefaultMaxIdle
	case c.MaxIdle < 0:
		c.MaxIdle = 0
	}
	return c
}
