package vm

import (
	"slices"
	"testing"
	"time"
)

// TestTimersFireInDeadlineOrder: when the goroutine of a later timer runs first (Go runs
// the newest timer goroutine of a P first when a busy P finds several expired), it fires
// the earlier pending timers before its own, in deadline order, and their own goroutines
// then do nothing. Equal deadlines fire in creation order; a stopped timer is dropped,
// never fired.
func TestTimersFireInDeadlineOrder(t *testing.T) {
	r := &Runtime{}
	var got []string
	mk := func(name string, d time.Duration) *Timer {
		return r.AfterFunc(d, func() { got = append(got, name) }, func() { got = append(got, "drop "+name) })
	}
	a := mk("a", time.Hour)
	b := mk("b", time.Hour+time.Millisecond)
	c := mk("c", time.Hour+2*time.Millisecond)
	stopped := mk("stopped", time.Hour+time.Millisecond)
	later := mk("later", 2*time.Hour)
	same := []*Timer{mk("s1", 3*time.Hour), mk("s2", 3*time.Hour)}
	same[1].when = same[0].when // the same deadline: creation order decides
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	c.run() // c's goroutine first: a and b are due before it
	if want := []string{"drop stopped", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("fired %q, want %q", got, want)
	}
	a.run() // a's own goroutine, late: a has fired
	b.run()
	if a.Stop() || b.Stop() || c.Stop() {
		t.Fatal("Stop of a fired timer reported true")
	}
	same[1].run()
	if want := []string{"drop stopped", "a", "b", "c", "later", "s1", "s2"}; !slices.Equal(got, want) {
		t.Fatalf("fired %q, want %q", got, want)
	}
	if n := len(r.timers.pending); n != 0 {
		t.Fatalf("%d timers still pending", n)
	}
	_ = later
}

// TestTimerHeapManyPending: starting and stopping timers in any order keeps the heap
// consistent (every pending timer's index is its position), and Close drops the rest.
func TestTimerHeapManyPending(t *testing.T) {
	r := &Runtime{}
	fired, dropped := 0, 0
	var ts []*Timer
	for i := 0; i < 2000; i++ {
		d := time.Hour + time.Duration((i*7919)%2000)*time.Millisecond
		ts = append(ts, r.AfterFunc(d, func() { fired++ }, func() { dropped++ }))
	}
	for i := 0; i < len(ts); i += 3 {
		if !ts[i].Stop() {
			t.Fatalf("Stop of pending timer %d reported false", i)
		}
	}
	for i, p := range r.timers.pending {
		if p.index != i {
			t.Fatalf("timer at %d records index %d", i, p.index)
		}
		if i > 0 && r.timers.pending[(i-1)/2].after(p) {
			t.Fatalf("heap order broken at %d", i)
		}
	}
	r.stopTimers()
	if fired != 0 || dropped != len(ts) {
		t.Fatalf("fired %d, dropped %d; want 0 and %d", fired, dropped, len(ts))
	}
}
