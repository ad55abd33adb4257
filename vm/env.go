package vm

import (
	"sync"
	"sync/atomic"
)

// Environment is a set of processes that can address each other by id: one per `lunatic
// run`, one per test in test mode. Process ids start at 1 and are never reused.
type Environment struct {
	id       uint64
	rt       *Runtime
	nextID   atomic.Uint64
	mu       sync.RWMutex
	procs    map[uint64]*Process
	registry *Registry
}

// NewEnvironment returns an empty environment with its own registry.
func (r *Runtime) NewEnvironment(id uint64) *Environment {
	e := &Environment{id: id, rt: r, procs: make(map[uint64]*Process), registry: NewRegistry()}
	r.envsMu.Lock()
	r.envs = append(r.envs, e)
	r.envsMu.Unlock()
	return e
}

// ID is the environment id (1 under `lunatic run`, 0 in test mode).
func (e *Environment) ID() uint64 { return e.id }

// Runtime is the runtime the environment belongs to.
func (e *Environment) Runtime() *Runtime { return e.rt }

// Registry is the environment's process-name registry.
func (e *Environment) Registry() *Registry { return e.registry }

// Lookup returns the live process with the given id, or nil.
func (e *Environment) Lookup(id uint64) *Process {
	e.mu.RLock()
	p := e.procs[id]
	e.mu.RUnlock()
	return p
}

// Exists reports whether a process with that id is alive.
func (e *Environment) Exists(id uint64) bool { return e.Lookup(id) != nil }

// Count is the number of live processes.
func (e *Environment) Count() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.procs)
}

// Processes returns a snapshot of the live processes.
func (e *Environment) Processes() []*Process {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]*Process, 0, len(e.procs))
	for _, p := range e.procs {
		out = append(out, p)
	}
	return out
}

// Send delivers msg to the process with the given id. Sending never fails: a message to a
// process that does not exist (or has ended) is dropped with its resources, exactly like
// the original runtime, because a sender cannot act on a delivery failure that might
// happen an instant later anyway.
func (e *Environment) Send(id uint64, msg *Message) {
	if p := e.Lookup(id); p != nil {
		p.deliver(msg)
		return
	}
	msg.Release()
}

func (e *Environment) insert(p *Process) {
	e.mu.Lock()
	e.procs[p.id] = p
	e.mu.Unlock()
}

func (e *Environment) remove(id uint64) {
	e.mu.Lock()
	delete(e.procs, id)
	e.mu.Unlock()
}

// RegEntry is what the registry stores for a name.
type RegEntry struct {
	Node, Process uint64
}

// Registry maps names to (node id, process id). It stores pairs blindly: entries are not
// checked against live processes and are never removed automatically (registry.md).
type Registry struct {
	mu    sync.RWMutex
	names map[string]RegEntry
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{names: make(map[string]RegEntry)} }

// Put inserts or overwrites name.
func (r *Registry) Put(name string, e RegEntry) {
	r.mu.Lock()
	r.names[name] = e
	r.mu.Unlock()
}

// Get looks name up.
func (r *Registry) Get(name string) (RegEntry, bool) {
	r.mu.RLock()
	e, ok := r.names[name]
	r.mu.RUnlock()
	return e, ok
}

// Remove deletes name if present.
func (r *Registry) Remove(name string) {
	r.mu.Lock()
	delete(r.names, name)
	r.mu.Unlock()
}

// GetOrCreate returns the entry for name if there is one (found = true). Otherwise it calls
// create while holding the write lock, so no other registry operation interleaves, and
// stores the entry create returns when ok is true.
func (r *Registry) GetOrCreate(name string, create func() (e RegEntry, ok bool)) (RegEntry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.names[name]; ok {
		return e, true
	}
	e, ok := create()
	if ok {
		r.names[name] = e
	}
	return e, false
}
