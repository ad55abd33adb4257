package networkingapi

import "sync"

// direction says which side of a socket a blocking operation uses.
type direction uint8

const (
	dirRead direction = 1 << iota
	dirWrite
	dirBoth = dirRead | dirWrite
)

// interruptible is a socket whose blocked operations can be woken up (by setting a
// deadline in the past).
type interruptible interface {
	interrupt(d direction)
}

// waker wakes the blocking socket operation of one process when that process is killed.
// The process's goroutine arms it around each blocking call; the process context's
// AfterFunc fires it. Because fire interrupts under mu, disarm returning means no
// interruption of this operation can land later, on an operation of another process
// sharing the socket.
type waker struct {
	mu     sync.Mutex
	target interruptible
	dir    direction
	dead   bool
}

// arm registers the operation about to block. It reports false when the process is
// already dead; the caller must then unwind (p.CheckAlive).
func (w *waker) arm(target interruptible, d direction) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dead {
		return false
	}
	w.target, w.dir = target, d
	return true
}

// disarm ends the operation registered by arm.
func (w *waker) disarm() {
	w.mu.Lock()
	w.target = nil
	w.mu.Unlock()
}

// fire marks the process dead and interrupts its current operation, if any.
func (w *waker) fire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.dead = true
	if w.target != nil {
		w.target.interrupt(w.dir)
		w.target = nil
	}
}
