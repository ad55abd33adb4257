package linmem

import (
	"testing"
)

// BenchmarkScrubConcurrent scrubs Rust-guest-shaped regions (272 OS pages, four touched
// at the stack's top, remembered runs) on every P at once, the way process exits on
// several workers do, with discard's madvise calls serialised (the default) and
// concurrent. Concurrent calls make Linux flush the TLB of every CPU running the process
// (see discardMu); ns/op is wall time per scrub over all Ps.
func BenchmarkScrubConcurrent(b *testing.B) {
	for _, mode := range []struct {
		name      string
		serialize bool
	}{{"serialized", true}, {"concurrent", false}} {
		b.Run(mode.name, func(b *testing.B) {
			defer func(v bool) { serializeDiscard = v }(serializeDiscard)
			serializeDiscard = mode.serialize
			p := NewPool(Config{Reserve: 1 << 30, MaxIdle: 64})
			defer p.Close()
			p.scrubByHand = true
			const pages = 272
			touch := []int{255, 256, 257, 258}
			b.RunParallel(func(pb *testing.PB) {
				r, err := p.acquire(classOf(pages * osPage))
				if err != nil {
					b.Error(err)
					return
				}
				for pb.Next() {
					for _, pg := range touch {
						r.mem[uint64(pg)*osPage] = 1
					}
					r.dirty = pages * osPage
					if err := p.scrub(r); err != nil {
						b.Error(err)
						return
					}
				}
				for _, pg := range touch {
					if r.mem[uint64(pg)*osPage] != 0 {
						b.Errorf("page %d not zero after a scrub", pg)
					}
				}
				p.release(r)
			})
		})
	}
}
