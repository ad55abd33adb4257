package vm

import (
	"context"
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

	lastModCfg modCfgCache // see Process.moduleConfig
}

// NewEnvironment returns an empty environment with its own registry.
func (r *Runtime) NewEnvironment(id uint64) *Environment {
	e := &Environment{id: id, rt: r, procs: make(map[uint64]*Process), registry: newRegistry()}
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
func (e *Environment) Send(id uint64, msg *Message) { e.SendFrom(nil, id, msg) }

// SendFrom is Send by process from, which is calling a host function: a receive the
// message completes may run next on from's worker, without a trip through the run queue
// (see workers). from may be nil.
func (e *Environment) SendFrom(from *Process, id uint64, msg *Message) {
	if p := e.Lookup(id); p != nil {
		p.deliverFrom(msg, from)
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
// checked against live processes and are never removed automatically (docs/abi/registry.md).
type Registry struct {
	mu      sync.Mutex
	names   map[string]RegEntry
	pending map[string]*reservation // names a GetOrCreate is creating an entry for
}

// reservation marks a name whose entry GetOrCreate is creating.
type reservation struct {
	done chan struct{} // closed when the creation has ended, published or not
	// overwritten is set by a Put or Remove of the name during the creation: they come
	// after the creation, so its entry must not replace what they did.
	overwritten bool
}

func newRegistry() *Registry {
	return &Registry{names: make(map[string]RegEntry), pending: make(map[string]*reservation)}
}

// Put inserts or overwrites name.
func (r *Registry) Put(name string, e RegEntry) {
	r.mu.Lock()
	r.names[name] = e
	if res := r.pending[name]; res != nil {
		res.overwritten = true
	}
	r.mu.Unlock()
}

// Get looks name up. A name whose entry GetOrCreate is still creating is not found yet.
func (r *Registry) Get(name string) (RegEntry, bool) {
	r.mu.Lock()
	e, ok := r.names[name]
	r.mu.Unlock()
	return e, ok
}

// Remove deletes name if present.
func (r *Registry) Remove(name string) {
	r.mu.Lock()
	delete(r.names, name)
	if res := r.pending[name]; res != nil {
		res.overwritten = true
	}
	r.mu.Unlock()
}

// GetOrCreate returns the entry for name if there is one (found = true). Otherwise it
// reserves the name, calls create without holding any lock, and registers the entry
// create returns when ok is true; the reservation ends when create returns or panics (a
// trap or a kill unwinding the caller), so it cannot outlive its creator.
//
// The reservation makes get-or-create atomic for its name: another GetOrCreate of the
// name waits until the creation ends, or returns context.Cause(ctx) if ctx ends first.
// Every other operation goes on meanwhile, create's own included: Get does not find the
// name until it is registered, and a Put or Remove of the name during the creation takes
// effect after it (the created entry is then not registered).
func (r *Registry) GetOrCreate(ctx context.Context, name string, create func() (e RegEntry, ok bool)) (RegEntry, bool, error) {
	r.mu.Lock()
	for {
		if e, ok := r.names[name]; ok {
			r.mu.Unlock()
			return e, true, nil
		}
		res := r.pending[name]
		if res == nil {
			break
		}
		r.mu.Unlock()
		select {
		case <-res.done:
		case <-ctx.Done():
			return RegEntry{}, false, context.Cause(ctx)
		}
		r.mu.Lock()
	}
	res := &reservation{done: make(chan struct{})}
	r.pending[name] = res
	r.mu.Unlock()

	var e RegEntry
	ok := false
	defer func() {
		r.mu.Lock()
		delete(r.pending, name)
		if ok && !res.overwritten {
			r.names[name] = e
		}
		r.mu.Unlock()
		close(res.done)
	}()
	e, ok = create()
	return e, false, nil
}
