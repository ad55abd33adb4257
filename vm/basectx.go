package vm

import (
	"context"
	"sync"
)

// baseContext is the context every process context derives from: cancelling it (when
// the runtime closes) cancels them all. It is not a context.WithCancel: a cancelCtx keeps
// its children in a Go map, which keeps the size of its peak, so after a burst of
// 100,000 processes the runtime kept 3.4 MiB of empty map for good (the cascade of
// BenchmarkCascadeMemory). Its children register through AfterFunc instead (the context
// package calls it for a parent that has the method and is not a cancelCtx), in a
// doubly linked list whose entries are freed with the processes.
type baseContext struct {
	context.Context // values (and the absence of a deadline) come from here

	done chan struct{}
	mu   sync.Mutex
	err  error
	head afterEntry // sentinel of a circular list of the pending functions
}

// afterEntry is one function registered with AfterFunc.
type afterEntry struct {
	prev, next *afterEntry
	f          func()
	base       *baseContext
}

// newBaseContext returns a context with parent's values that ends when cancel is called.
func newBaseContext(parent context.Context) (*baseContext, context.CancelFunc) {
	b := &baseContext{Context: parent, done: make(chan struct{})}
	b.head.prev, b.head.next = &b.head, &b.head
	return b, b.cancel
}

// Done is closed when the runtime closes.
func (b *baseContext) Done() <-chan struct{} { return b.done }

// Err is context.Canceled once the runtime closed.
func (b *baseContext) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// AfterFunc arranges for f to run once b is cancelled (in a goroutine of its own at once
// if it is: the context package calls AfterFunc holding the child's lock, which f takes);
// the returned function withdraws it and reports whether it did so before f was
// started, as context.AfterFunc's.
func (b *baseContext) AfterFunc(f func()) func() bool {
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	e := &afterEntry{f: f, base: b, prev: b.head.prev, next: &b.head}
	e.prev.next, b.head.prev = e, e
	b.mu.Unlock()
	return e.stop
}

// stop withdraws e unless b was cancelled already.
func (e *afterEntry) stop() bool {
	b := e.base
	b.mu.Lock()
	defer b.mu.Unlock()
	if e.next == nil {
		return false
	}
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	return true
}

// cancel ends b and runs every registered function, in this goroutine: they are the
// context package's, each cancelling one process context, as a cancelCtx cancels its
// children.
func (b *baseContext) cancel() {
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return
	}
	b.err = context.Canceled
	close(b.done)
	var fs []func()
	for e := b.head.next; e != &b.head; {
		next := e.next
		fs = append(fs, e.f)
		e.prev, e.next = nil, nil
		e = next
	}
	b.head.prev, b.head.next = &b.head, &b.head
	b.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
