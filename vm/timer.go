package vm

import (
	"container/heap"
	"sync"
	"time"
)

// Timer is a delayed action started with Runtime.AfterFunc. Exactly one of its two
// functions runs: fire when the delay passes, or drop when Stop or Runtime.Close prevents
// that.
type Timer struct {
	rt    *Runtime
	t     *time.Timer
	fire  func()
	drop  func()
	when  time.Time // the deadline (monotonic)
	seq   uint64    // creation order, for timers with the same deadline
	index int       // position in the runtime's pending heap; -1 once fired or stopped
}

// timers is the set of pending timers of a runtime, a heap ordered by deadline.
// Membership decides who runs a timer's function: whoever removes it from the heap (a
// firing, Stop, or Close).
//
// Timers fire in deadline order. Each Go timer runs its function on a new goroutine, and
// Go runs the newest such goroutine of a P first; so when a busy P finds two timers
// expired at once (send_after 10 ms and 60 ms, looked at 70 ms late), the later one's
// goroutine would deliver first. A firing therefore takes every pending timer whose
// deadline is not after its own, earliest first, and fires them in that order.
type timers struct {
	mu      sync.Mutex
	pending timerHeap
	seq     uint64
	closed  bool
	firing  sync.WaitGroup // fire functions running now
}

// AfterFunc calls fire on another goroutine after d, unless the timer is stopped first;
// a stopped timer calls drop instead (on the stopping goroutine). Timers fire in the
// order of their deadlines. Runtime.Close stops every pending timer. On a closed runtime
// AfterFunc calls drop at once. Starting and stopping a timer cost O(log n) in the number
// of pending timers.
func (r *Runtime) AfterFunc(d time.Duration, fire, drop func()) *Timer {
	t := &Timer{rt: r, fire: fire, drop: drop, index: -1}
	ts := &r.timers
	ts.mu.Lock()
	if ts.closed {
		ts.mu.Unlock()
		drop()
		return t
	}
	t.when = time.Now().Add(d)
	t.seq = ts.seq
	ts.seq++
	heap.Push(&ts.pending, t)
	// Created under the lock, so a firing (which takes the lock) sees t.t set.
	t.t = time.AfterFunc(d, t.run)
	ts.mu.Unlock()
	return t
}

// run is the time.Timer's function: it fires t and every pending timer due before it.
func (t *Timer) run() {
	ts := &t.rt.timers
	ts.mu.Lock()
	if t.index < 0 {
		ts.mu.Unlock()
		return // fired by a later timer's run, or stopped: drop has run or is running
	}
	var due []*Timer
	for len(ts.pending) > 0 && !ts.pending[0].after(t) {
		due = append(due, heap.Pop(&ts.pending).(*Timer))
	}
	ts.firing.Add(1)
	ts.mu.Unlock()
	defer ts.firing.Done()
	for _, d := range due {
		if d != t {
			d.t.Stop() // its own run would find it fired
		}
		d.fire()
	}
}

// after reports whether t is due after u.
func (t *Timer) after(u *Timer) bool {
	if !t.when.Equal(u.when) {
		return t.when.After(u.when)
	}
	return t.seq > u.seq
}

// Stop prevents the timer from firing and calls its drop function. It reports whether it
// did: false when the timer has already fired or been stopped.
func (t *Timer) Stop() bool {
	ts := &t.rt.timers
	ts.mu.Lock()
	if t.index < 0 {
		ts.mu.Unlock()
		return false
	}
	heap.Remove(&ts.pending, t.index)
	ts.mu.Unlock()
	t.t.Stop()
	t.drop()
	return true
}

// stopTimers stops every pending timer and refuses new ones; it returns once no fire
// function runs any more.
func (r *Runtime) stopTimers() {
	ts := &r.timers
	ts.mu.Lock()
	ts.closed = true
	pending := ts.pending
	for _, t := range pending {
		t.index = -1
	}
	ts.pending = nil
	ts.mu.Unlock()
	for _, t := range pending {
		t.t.Stop()
		t.drop()
	}
	ts.firing.Wait()
}

// timerHeap is a min-heap of pending timers by deadline (container/heap).
type timerHeap []*Timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[j].after(h[i]) }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

// Push implements heap.Interface.
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}

// Pop implements heap.Interface.
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
