package linmem

// PageSize is the WebAssembly page size in bytes.
const PageSize = 65536

// DefaultReserve is the address space reserved per linear memory: 512 MiB
// (8192 wasm pages). A 47-bit user address space is 128 TiB; 100 000
// processes at 512 MiB take 50 TiB, leaving more than half for everything
// else (Go heap, thread stacks, compiled code, the race detector's
// layout). 1 GiB would use 100 TiB for the same count, and 4 GiB cannot fit.
// A single process can therefore grow to at most min(max_memory, Reserve).
const DefaultReserve = 512 << 20

// DefaultMaxIdle is the number of freed regions kept for reuse. An idle
// region costs only address space and one kernel mapping.
const DefaultMaxIdle = 1024

// Config sizes a Pool. Zero fields take their defaults.
type Config struct {
	// Reserve is the size in bytes of each region, rounded down to a whole
	// wasm page and capped below 4 GiB (a 65 536-page memory misbehaves in
	// wazero). Default DefaultReserve.
	Reserve uint64
	// MaxIdle bounds the regions kept for reuse; surplus freed regions are
	// unmapped. Negative keeps none. Default DefaultMaxIdle.
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
