package vm

import (
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

// maxIdleWorkers bounds the goroutines kept waiting for the next process to run.
const maxIdleWorkers = 128

// stuckAfter is how long runnable processes may wait in the run queue, every worker being
// busy, before the queue starts another worker: a worker can be held by a guest that
// computes without preemption points or by a host call that blocks without saying so.
const stuckAfter = time.Millisecond

// workers runs processes on goroutines that outlive them, BEAM-style: a process is a task
// in a run queue, and a worker goroutine runs one process at a time until it ends or
// suspends (a receive with an empty mailbox: see suspend.go). A suspended process holds no
// goroutine; whatever wakes it makes it runnable again, on whichever worker is free.
//
// A process woken by the process running on a worker goes to that worker's next slot
// (like the Go scheduler's runnext) and runs there as soon as the waker suspends or
// ends, without a trip through the queue or the Go scheduler: a ping-pong stays on one
// goroutine. The slot is flushed to the queue when the waker blocks, yields for
// preemption or wakes another process, and by a watchdog (checkSlots) when a process sat
// in it for stuckAfter, so a woken process never waits behind a long computation or a
// host call that blocks without reporting it.
//
// At most limit workers run at once unless some are blocked (a host call that waits:
// sleep, sockets, a receive that cannot suspend) or the queue has been stuck for
// stuckAfter; that bounds the goroutines a burst of wake-ups creates (a link cascade
// ending 100,000 processes runs their death paths on a few goroutines, and the Go runtime
// never frees a goroutine's record).
type workers struct {
	mu      sync.Mutex
	queue   []*Process // runnable, FIFO from head
	head    int
	idle    []*worker // waiting for a process
	running int       // workers running a process and not blocked
	limit   int
	watch   bool   // the stuck-queue watchdog is armed
	pops    uint64 // processes taken from the queue so far
	watched uint64 // pops when the watchdog was armed
	stopped bool

	idleCount atomic.Int32 // len(idle), read without the lock
	stop      <-chan struct{}
	handoff   bool // use next slots (LUNATIC_HANDOFF=0 turns them off, for A/B measurements)

	all       map[*worker]struct{} // every worker goroutine alive (the slot watchdog's view)
	slotWatch atomic.Bool          // the slot watchdog is armed

	queued atomic.Int32 // len(queue) - head, read without the lock (waiting)
	// hurry, when set (the epoch clock's), makes the clock tick soon if it runs slow:
	// called when a process has to wait in the queue for a busy worker.
	hurry func()
	// cells (BoundPreemption): each worker takes one the first time it runs a process
	// and gives it back when it ends.
	cells *tickthread.Table
}

// waiting reports whether something waits for a thread: a process in the run queue, or
// a goroutine the Go scheduler has not given a P yet (other workers, host calls coming
// back, timers). The epoch clock asks at each tick; when nothing waits, the process
// computing keeps its thread for a longer slice (epochClock.tick).
func (w *workers) waiting() bool {
	if w.queued.Load() > 0 {
		return true
	}
	// At most once per tick (every 500 µs at the most): a sample per call is fine.
	s := []metrics.Sample{{Name: "/sched/goroutines/runnable:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > 0
}

// worker is one goroutine of the pool.
type worker struct {
	w *workers
	// next is woken by the running process and runs after it. The worker fills and
	// empties it; the slot watchdog may empty it too (swap and compare-and-swap decide
	// who got the process).
	next  atomic.Pointer[Process]
	fills atomic.Uint64 // times next was filled
	seen  uint64        // fills at the watchdog's previous look (under workers.mu)
	// nextYields counts the preemption yields of the running process since next was
	// filled: at the second, next goes to the queue (yielded).
	nextYields int
	wake       chan *Process // hands a process to this idle worker (capacity 1)
	// inline is set on the worker of an Inline: a goroutine outside the pool.
	inline *Inline
	// cell (BoundPreemption) is where wazero publishes the stack bound of the call
	// this worker runs (the process's experimental.Suspender Cell); nil until the
	// worker first runs a process.
	cell *unsafe.Pointer
}

// preemptCell returns the worker's cell (BoundPreemption), taking one the first time.
// With all tickthread.MaxCells taken (that many workers blocked in host calls at once)
// it waits for one: the loops of an EpochLoops module are preempted only through the
// cell of the call (scheduler.PollName), so a process never runs without one.
func (wk *worker) preemptCell() *unsafe.Pointer {
	if wk.cell != nil || wk.w.cells == nil {
		return wk.cell
	}
	wk.cell = wk.w.cells.AcquireWait()
	if in := wk.inline; in != nil {
		// An Inline has no end of its own: its cell goes back with it.
		cells := wk.w.cells // not wk: it holds in, which would never be collected
		runtime.AddCleanup(in, func(c *unsafe.Pointer) { cells.Release(c) }, wk.cell)
	}
	return wk.cell
}

// releaseCell gives a pool worker's cell back as it ends.
func (wk *worker) releaseCell() {
	if wk.cell != nil {
		wk.w.cells.Release(wk.cell)
		wk.cell = nil
	}
}

// newWorkerLocked makes a worker and registers it. Caller holds w.mu.
func (w *workers) newWorkerLocked() *worker {
	wk := &worker{w: w, wake: make(chan *Process, 1)}
	if w.all == nil {
		w.all = make(map[*worker]struct{})
	}
	w.all[wk] = struct{}{}
	return wk
}

func newWorkers(stop <-chan struct{}) *workers {
	w := &workers{stop: stop, limit: max(4, 2*runtime.GOMAXPROCS(0)), handoff: os.Getenv("LUNATIC_HANDOFF") != "0"}
	go func() {
		<-stop
		w.mu.Lock()
		w.stopped = true
		idle := w.idle
		w.idle = nil
		w.idleCount.Store(0)
		w.mu.Unlock()
		for _, wk := range idle {
			wk.wake <- nil // exit
		}
	}()
	return w
}

// ready makes p runnable. waker is the process whose host call or death path made it
// runnable (nil for timers, kills from outside, other nodes): when it runs on a worker, p
// takes that worker's next slot.
func (w *workers) ready(p *Process, waker *Process) {
	var wk *worker
	if waker != nil {
		wk = waker.worker
	}
	w.readyOn(p, wk)
}

// readyOn makes p runnable in wk's next slot (nil: the queue).
func (w *workers) readyOn(p *Process, wk *worker) {
	if wk == nil || (!w.handoff && wk.inline == nil) {
		w.enqueue(p)
		return
	}
	wk.fills.Add(1) // before the store: the watchdog never sees p with the old count
	if old := wk.next.Swap(p); old != nil {
		w.enqueue(old)
	}
	wk.nextYields = 0
	if wk.inline != nil {
		return // the Inline's own watchdog looks after its slot
	}
	if !w.slotWatch.Load() && w.slotWatch.CompareAndSwap(false, true) {
		time.AfterFunc(stuckAfter, w.checkSlots)
	}
}

// enqueue hands p to an idle worker, or queues it (starting a worker if fewer than limit
// run).
func (w *workers) enqueue(p *Process) {
	w.mu.Lock()
	if n := len(w.idle); n > 0 {
		wk := w.idle[n-1]
		w.idle = w.idle[:n-1]
		w.idleCount.Store(int32(n - 1))
		w.running++
		w.mu.Unlock()
		wk.wake <- p
		return
	}
	if w.running < w.limit {
		w.running++
		wk := w.newWorkerLocked()
		w.mu.Unlock()
		go w.loop(wk, p)
		return
	}
	w.queue = append(w.queue, p)
	w.queued.Add(1)
	w.armWatch()
	w.mu.Unlock()
	if w.hurry != nil {
		w.hurry()
	}
}

// armWatch starts the stuck-queue watchdog if it is not armed. Caller holds w.mu.
func (w *workers) armWatch() {
	if w.watch {
		return
	}
	w.watch, w.watched = true, w.pops
	time.AfterFunc(stuckAfter, w.unstick)
}

// unstick starts a worker for a queue that no worker took from since the watchdog was
// armed.
func (w *workers) unstick() {
	w.mu.Lock()
	w.watch = false
	if w.head == len(w.queue) {
		w.mu.Unlock()
		return
	}
	if w.pops != w.watched {
		// The workers take from the queue: watch on.
		w.armWatch()
		w.mu.Unlock()
		return
	}
	p := w.popLocked()
	w.running++
	if w.head < len(w.queue) {
		w.armWatch()
	}
	wk := w.newWorkerLocked()
	w.mu.Unlock()
	go w.loop(wk, p)
}

// checkSlots is the slot watchdog: a process that has sat in a worker's next slot since
// the previous look (stuckAfter ago) goes to the queue. Its waker is computing or waits
// in a host call that does not report blocking (a WASI read of stdin, a remote spawn,
// a long sqlite query): the woken process must not wait for it to suspend.
func (w *workers) checkSlots() {
	var stolen []*Process
	filled := false
	w.mu.Lock()
	for wk := range w.all {
		f := wk.fills.Load()
		if p := wk.next.Load(); p != nil {
			if f == wk.seen && wk.next.CompareAndSwap(p, nil) {
				stolen = append(stolen, p)
			} else {
				filled = true
			}
		}
		wk.seen = f
	}
	w.mu.Unlock()
	for _, p := range stolen {
		w.enqueue(p)
	}
	if filled {
		time.AfterFunc(stuckAfter, w.checkSlots)
		return
	}
	w.slotWatch.Store(false)
	// A slot filled after the look above and before the store armed nothing: look again.
	w.mu.Lock()
	for wk := range w.all {
		filled = filled || wk.next.Load() != nil
	}
	w.mu.Unlock()
	if filled && w.slotWatch.CompareAndSwap(false, true) {
		time.AfterFunc(stuckAfter, w.checkSlots)
	}
}

// popLocked takes the head of the queue (nil when empty). Caller holds w.mu.
func (w *workers) popLocked() *Process {
	if w.head == len(w.queue) {
		return nil
	}
	p := w.queue[w.head]
	w.queue[w.head] = nil
	w.head++
	w.pops++
	w.queued.Add(-1)
	if w.head == len(w.queue) {
		w.queue, w.head = w.queue[:0], 0
		if cap(w.queue) > 1024 {
			w.queue = nil // a burst is over: give its backing array back
		}
	}
	return p
}

// blocked reports that the process on wk waits in a host call: its next slot goes to
// the queue, and another worker starts if processes are queued.
func (w *workers) blocked(wk *worker) {
	if p := wk.next.Swap(nil); p != nil {
		w.enqueue(p)
	}
	if wk.inline != nil {
		// Not a pooled worker: not counted in running.
		wk.inline.release()
		return
	}
	w.mu.Lock()
	w.running--
	if w.head < len(w.queue) && len(w.idle) == 0 && w.running < w.limit {
		p := w.popLocked()
		w.running++
		nw := w.newWorkerLocked()
		w.mu.Unlock()
		go w.loop(nw, p)
		return
	}
	w.mu.Unlock()
}

// unblocked reports that the process on wk is back from a blocking host call.
func (w *workers) unblocked(wk *worker) {
	if wk.inline != nil {
		return
	}
	w.mu.Lock()
	w.running++
	w.mu.Unlock()
}

// yielded is called when the process on wk yields for preemption. The process in its
// next slot goes to the queue once the waker has computed for a whole quantum since it
// woke it (its second yield: a yield soon after a wake is common, as the instrumentation
// charges a quantum's fuel by estimates, and moving the woken process to another worker
// then costs a wake-up of another thread per message). A queued process gets a worker
// of its own rather than wait for the yielding one to suspend.
func (w *workers) yielded(wk *worker) {
	if wk.inline != nil {
		wk.inline.yielded()
		return
	}
	if wk.next.Load() != nil {
		if wk.nextYields++; wk.nextYields >= 2 {
			if p := wk.next.Swap(nil); p != nil {
				w.enqueue(p)
			}
		}
	}
	if w.idleCount.Load() != 0 {
		return
	}
	w.mu.Lock()
	if w.head < len(w.queue) {
		p := w.popLocked()
		w.running++
		nw := w.newWorkerLocked()
		w.mu.Unlock()
		go w.loop(nw, p)
		return
	}
	w.mu.Unlock()
}

// loop runs p, then what the worker's next slot or the queue holds, then waits for more
// until too many workers wait or the runtime closes.
func (w *workers) loop(wk *worker, p *Process) {
	for {
		for p != nil {
			p.step(wk)
			p = wk.next.Swap(nil)
			if p == nil {
				w.mu.Lock()
				p = w.popLocked()
				if p == nil {
					w.running--
					if w.stopped || len(w.idle) >= maxIdleWorkers {
						delete(w.all, wk)
						w.mu.Unlock()
						wk.releaseCell()
						return
					}
					w.idle = append(w.idle, wk)
					w.idleCount.Store(int32(len(w.idle)))
				}
				w.mu.Unlock()
			}
		}
		// Idle: enqueue or the stop hands the next process (nil: exit).
		if p = <-wk.wake; p == nil {
			w.mu.Lock()
			delete(w.all, wk)
			w.mu.Unlock()
			wk.releaseCell()
			return
		}
	}
}

// trimIdle ends the idle workers beyond keep, those that waited longest first: after a
// burst their stacks (grown by the processes they ran) are freed at the next collection.
// The queue of a busy runtime starts new ones as it needs.
func (w *workers) trimIdle(keep int) {
	w.mu.Lock()
	n := len(w.idle) - keep
	if n <= 0 {
		w.mu.Unlock()
		return
	}
	gone := make([]*worker, n)
	copy(gone, w.idle[:n])
	rest := copy(w.idle, w.idle[n:])
	clear(w.idle[rest:])
	w.idle = w.idle[:rest:rest]
	w.idleCount.Store(int32(rest))
	w.mu.Unlock()
	for _, wk := range gone {
		wk.wake <- nil // exit
	}
}
