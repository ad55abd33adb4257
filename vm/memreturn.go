package vm

// idleRegionsKept is how many freed linear-memory regions of each size class the pool
// keeps (without their pages) when the runtime returns memory after mass deaths.
const idleRegionsKept = 64

// compact gives back what a burst of processes left in the runtime's own structures,
// before returnMemory collects garbage: the linear-memory pool's idle regions, and the
// process maps of the environments, which (as every Go map) keep the size of their peak.
func (r *Runtime) compact() {
	r.pool.Trim(idleRegionsKept)
	r.envsMu.Lock()
	envs := r.envs
	r.envsMu.Unlock()
	for _, e := range envs {
		e.compact()
	}
}

// compact copies the process map into one sized for the processes alive now.
func (e *Environment) compact() {
	e.mu.Lock()
	m := make(map[uint64]*Process, len(e.procs))
	for id, p := range e.procs {
		m[id] = p
	}
	e.procs = m
	e.mu.Unlock()
}
