package vm

import (
	"sync"
	"time"
)

// Timer is a delayed action started with Runtime.AfterFunc. Exactly one of its two
// functions runs: fire when the delay passes, or drop when Stop or Runtime.Close prevents
// that.
type Timer struct {
	rt   *Runtime
	t    *time.Timer
	fire func()
	drop func()
}

// timers is the set of pending timers of a runtime. Membership decides who runs a timer's
// function: whoever removes it from the set (its firing, Stop, or Close).
type timers struct {
	mu     sync.Mutex
	set    map[*Timer]struct{}
	closed bool
	firing sync.WaitGroup // fire functions running now
}

// AfterFunc calls fire on its own goroutine after d, unless the timer is stopped first;
// a stopped timer calls drop instead (on the stopping goroutine). Runtime.Close stops
// every pending timer. On a closed runtime AfterFunc calls drop at once.
func (r *Runtime) AfterFunc(d time.Duration, fire, drop func()) *Timer {
	t := &Timer{rt: r, fire: fire, drop: drop}
	ts := &r.timers
	ts.mu.Lock()
	if ts.closed {
		ts.mu.Unlock()
		drop()
		return t
	}
	if ts.set == nil {
		ts.set = make(map[*Timer]struct{})
	}
	ts.set[t] = struct{}{}
	// Created under the lock, so a firing (which takes the lock) sees t.t set.
	t.t = time.AfterFunc(d, t.run)
	ts.mu.Unlock()
	return t
}

// run is the time.Timer's function.
func (t *Timer) run() {
	ts := &t.rt.timers
	ts.mu.Lock()
	if _, ok := ts.set[t]; !ok {
		ts.mu.Unlock()
		return // stopped in the meantime: drop has run or is running
	}
	delete(ts.set, t)
	ts.firing.Add(1)
	ts.mu.Unlock()
	defer ts.firing.Done()
	t.fire()
}

// Stop prevents the timer from firing and calls its drop function. It reports whether it
// did: false when the timer has already fired or been stopped.
func (t *Timer) Stop() bool {
	ts := &t.rt.timers
	ts.mu.Lock()
	if _, ok := ts.set[t]; !ok {
		ts.mu.Unlock()
		return false
	}
	delete(ts.set, t)
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
	pending := ts.set
	ts.set = nil
	ts.mu.Unlock()
	for t := range pending {
		t.t.Stop()
		t.drop()
	}
	ts.firing.Wait()
}
