package linmem

// Stats is a snapshot of a Pool's counters.
type Stats struct {
	// Live is the number of regions backing a memory right now.
	Live int
	// Pooled is the number of freed regions kept for reuse.
	Pooled int
	// ReservedBytes is the address space held by live and pooled regions, and by
	// surplus ones until the unmapper goroutine has unmapped them.
	ReservedBytes uint64
	// InUseBytes is the sum of the current sizes of live memories, an upper
	// bound on the guest pages resident in RAM.
	InUseBytes uint64
}

// Stats returns the pool's current counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	s := Stats{Live: p.live, Pooled: p.pooled}
	p.mu.Unlock()
	s.ReservedBytes = p.mapped.Load()
	s.InUseBytes = p.inUse.Load()
	return s
}
