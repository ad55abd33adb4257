package vm

import (
	"testing"
	"time"
)

// TestEpochPeriod checks the clock's choice of period at a tick: idle when no process
// yielded since the previous tick, TimeSlice while processes compute and something
// waits for a thread, loneSlice while nothing waits; and that hurry shortens a long
// period once, and only a long one.
func TestEpochPeriod(t *testing.T) {
	var word uint64
	c := &epochClock{word: &word}
	waiting := false
	c.waiting = func() bool { return waiting }
	for _, step := range []struct {
		yield, waiting bool
		want           time.Duration
	}{
		{false, false, idleTick},
		{true, false, loneSlice},
		{true, true, TimeSlice},
		{false, true, idleTick},
		{true, false, loneSlice},
	} {
		if step.yield {
			c.yields.Add(1)
		}
		waiting = step.waiting
		if got := c.tick(1); got != step.want {
			t.Fatalf("yield %v, waiting %v: period %v, want %v", step.yield, step.waiting, got, step.want)
		}
		if got := time.Duration(c.period.Load()); got != step.want {
			t.Fatalf("period recorded %v, want %v", got, step.want)
		}
	}
	// The last tick ended a loneSlice epoch: a process computing across it is charged
	// four slices; after a TimeSlice epoch, one.
	c.tick(1)
	if got := c.slices(); got != 4 {
		t.Fatalf("after a loneSlice epoch: %d slices, want 4", got)
	}
	waiting = true
	c.yields.Add(1)
	c.tick(1) // ends the loneSlice epoch, starts a TimeSlice one
	c.yields.Add(1)
	c.tick(1)
	if got := c.slices(); got != 1 {
		t.Fatalf("after a TimeSlice epoch: %d slices, want 1", got)
	}
	waiting = false
	c.yields.Add(1)
	c.tick(1)
	c.watched.Store(true) // as after start; the nil watchdog's hurry does nothing
	c.hurry()
	if got := time.Duration(c.period.Load()); got != TimeSlice {
		t.Fatalf("after hurry: period %v, want %v", got, TimeSlice)
	}
	c.period.Store(int64(TimeSlice / 2))
	c.hurry()
	if got := time.Duration(c.period.Load()); got != TimeSlice/2 {
		t.Fatalf("hurry changed a short period to %v", got)
	}
}

// TestWorkersWaiting: a process that has to queue for a busy worker makes waiting
// true and hurries the clock; taking it from the queue makes waiting false again
// (with no other goroutine runnable, which the test cannot rule out: it only checks
// the queue's part through queued).
func TestWorkersWaiting(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	w := newWorkers(stop)
	hurried := 0
	w.hurry = func() { hurried++ }
	w.mu.Lock()
	w.limit = 0    // every worker busy: enqueue queues
	w.watch = true // and no stuck-queue watchdog starts a worker for p
	w.mu.Unlock()
	p := &Process{}
	w.enqueue(p)
	if !w.waiting() || w.queued.Load() != 1 || hurried != 1 {
		t.Fatalf("queued process: waiting %v, queued %d, hurried %d", w.waiting(), w.queued.Load(), hurried)
	}
	w.mu.Lock()
	got := w.popLocked()
	w.mu.Unlock()
	if got != p || w.queued.Load() != 0 {
		t.Fatalf("pop: %p (want %p), queued %d", got, p, w.queued.Load())
	}
}
