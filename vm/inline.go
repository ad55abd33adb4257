package vm

import (
	"os"
	"sync/atomic"
	"time"
)

// Inline lets a goroutine outside the worker pool run, itself, the process that its
// last delivery woke, instead of handing it to a pooled worker: the reader of a
// connection between nodes delivers a message and runs the receiver at once, on the
// thread the network poller woke for the read. A hand-off to a worker would make the Go
// scheduler wake another thread for an idle P (a futex call, and a thread that spins
// before it sleeps again) on every message of a round trip.
//
// While the process runs, the goroutine does not do its own work (read the next
// frame). So the owner gives Inline a function, stuck, that Inline calls when the run
// may take long: the process blocks in a host call, yields for preemption the second
// time, or is still running stuckAfter after it started (a watchdog); stuck should have
// another goroutine take over the owner's work, and Run then reports it. An Inline is
// used by one goroutine at a time.
type Inline struct {
	w     *workers
	wk    *worker
	stuck func()

	// runs counts the starts and ends of runs: odd while a process runs.
	runs atomic.Uint64
	// told is set once stuck was called for the current run (or just after it).
	told atomic.Bool
	// yields counts the preemption yields of the current run (its goroutine only).
	yields int
	// watch is set while the watchdog is armed; seen is runs at its previous look.
	watch atomic.Bool
	seen  uint64
	off   bool // LUNATIC_INLINE=0: deliveries take the run queue
}

// NewInline makes an Inline whose stuck function is called as described on Inline. It
// may be called on any goroutine and must return soon.
func (rt *Runtime) NewInline(stuck func()) *Inline {
	in := &Inline{w: rt.workers, stuck: stuck, off: os.Getenv("LUNATIC_INLINE") == "0"}
	in.wk = &worker{w: rt.workers, inline: in}
	return in
}

// Send is Environment.Send whose wake-up of a suspended receive makes the receiver the
// process that the next Run runs (a process woken by an earlier Send and not run yet
// goes to the run queue).
func (in *Inline) Send(e *Environment, id uint64, msg *Message) {
	p := e.Lookup(id)
	if p == nil {
		msg.Release()
		return
	}
	if in.off {
		p.deliver(msg)
		return
	}
	p.deliverOn(msg, in.wk)
}

// Pending reports whether a process waits for Run.
func (in *Inline) Pending() bool { return in.wk.next.Load() != nil }

// Run runs the process that a Send woke, if any, until it suspends or ends, on the
// calling goroutine, and reports whether there was one. What that process wakes
// meanwhile goes to the pool once it suspends. stuck may have been called during the
// run (rarely, also right after it).
func (in *Inline) Run() bool {
	p := in.wk.next.Swap(nil)
	if p == nil {
		return false
	}
	in.yields = 0
	in.told.Store(false)
	in.runs.Add(1)
	if !in.watch.Load() && in.watch.CompareAndSwap(false, true) {
		time.AfterFunc(stuckAfter, in.check)
	}
	p.step(in.wk)
	in.runs.Add(1)
	if q := in.wk.next.Swap(nil); q != nil {
		in.w.enqueue(q)
	}
	return true
}

// release calls stuck once per run and sends what waits in the slot to the pool.
func (in *Inline) release() {
	if q := in.wk.next.Swap(nil); q != nil {
		in.w.enqueue(q)
	}
	if !in.told.Load() && in.told.CompareAndSwap(false, true) {
		in.stuck()
	}
}

// yielded is workers.yielded for the process of a run: it is computing, the second
// yield releases the goroutine's work (the first can come right after a wake-up, see
// workers.yielded).
func (in *Inline) yielded() {
	if in.yields++; in.yields >= 2 {
		in.release()
	}
}

// check is the watchdog: a run that was under way at the previous look, stuckAfter ago,
// and still is, releases the goroutine's work. It looks again while runs happen.
func (in *Inline) check() {
	r := in.runs.Load()
	if r%2 == 1 && r == in.seen {
		in.release()
	}
	active := r != in.seen || r%2 == 1
	in.seen = r
	if active {
		time.AfterFunc(stuckAfter, in.check)
		return
	}
	in.watch.Store(false)
	// A run that started after the load above and before the store armed nothing.
	if in.runs.Load() != r && in.watch.CompareAndSwap(false, true) {
		time.AfterFunc(stuckAfter, in.check)
	}
}
