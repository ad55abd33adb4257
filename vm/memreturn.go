package vm

import "github.com/tetratelabs/wazero/experimental"

// idleRegionsKept is how many freed linear-memory regions of each size class the pool
// keeps (without their pages) when the runtime returns memory after mass deaths.
const idleRegionsKept = 64

// idleWorkersKept is how many idle worker goroutines the runtime keeps when it returns
// memory after mass deaths (it keeps up to maxIdleWorkers otherwise).
const idleWorkersKept = 8

// compact gives back what a burst of processes left in the runtime's own structures,
// before returnMemory collects garbage: the linear-memory pool's idle regions, the
// process maps of the environments, which (as every Go map) keep the size of their peak,
// the instance states wazero kept for reuse (experimental.DropRecycled): those of the
// burst's last processes, each pinning its pages of the burst's Go heap; and the idle
// worker goroutines beyond idleWorkersKept, whose stacks go at the next collection.
func (r *Runtime) compact() {
	r.pool.Trim(idleRegionsKept)
	experimental.DropRecycled(r.wr)
	r.workers.trimIdle(idleWorkersKept)
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
