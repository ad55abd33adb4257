package vm

import (
	"slices"
	"time"
)

// ProcessSnapshot is a read-only copy of what an observer shows about one live process.
// The mailbox, links and monitors are read under one acquisition of the process lock, so
// they are consistent with each other.
type ProcessSnapshot struct {
	ID          uint64
	Environment uint64
	Parent      uint64 // 0 for a root process
	Entry       string
	Module      string // the module's diagnostic name (the .wasm file name of the root)
	State       State
	MailboxLen  int
	Links       []uint64 // linked processes, ascending; nil when none
	Monitors    []uint64 // processes monitoring this one, ascending; nil when none
	FuelUsed    uint64
	MemoryBytes uint64
	Started     time.Time
	// DieWhenLinkDies is false when the process turns link failures into messages (a
	// supervisor).
	DieWhenLinkDies bool
}

// Snapshot copies the observable state of the process. It is safe to call from any
// goroutine, also after the process has ended (links and monitors are then empty).
func (p *Process) Snapshot() ProcessSnapshot {
	s := ProcessSnapshot{
		ID:          p.id,
		Environment: p.env.id,
		Parent:      p.parent,
		Entry:       p.entry,
		State:       p.State(),
		FuelUsed:    p.fuelUsed.Load(),
		MemoryBytes: p.MemoryBytes(),
		Started:     p.started,
	}
	if p.module != nil {
		s.Module = p.module.Name
	}
	p.mu.Lock()
	s.MailboxLen = p.mbox.len()
	if s.Links = p.links.peers(); s.Links != nil {
		slices.Sort(s.Links)
	}
	s.Monitors = sortedKeys(p.monitors)
	s.DieWhenLinkDies = p.dieWhenLinkDies
	p.mu.Unlock()
	return s
}

func sortedKeys[V any](m map[uint64]V) []uint64 {
	if len(m) == 0 {
		return nil
	}
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// AppendSnapshots appends a Snapshot of every live process of the environment to dst and
// returns the extended slice, in no particular order. The environment's lock is held only
// while the process list is copied.
func (e *Environment) AppendSnapshots(dst []ProcessSnapshot) []ProcessSnapshot {
	for _, p := range e.Processes() {
		dst = append(dst, p.Snapshot())
	}
	return dst
}

// Names returns the registry's entries as name → entry, a copy.
func (r *Registry) Names() map[string]RegEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]RegEntry, len(r.names))
	for k, v := range r.names {
		out[k] = v
	}
	return out
}

// NamesOf returns, sorted, the names registered for process id on node (0 outside a
// cluster).
func (r *Registry) NamesOf(node, id uint64) []string {
	r.mu.Lock()
	var out []string
	for k, v := range r.names {
		if v.Node == node && v.Process == id {
			out = append(out, k)
		}
	}
	r.mu.Unlock()
	slices.Sort(out)
	return out
}
