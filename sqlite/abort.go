package sqlite

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// A connection waits for locks held by other connections in a busy handler
// written in Go rather than SQLite's sqlite3_busy_timeout, because SQLite's
// own handler sleeps without looking at sqlite3_interrupt: a connection could
// not be told to give up a wait of up to BusyTimeout. Abort ends such a wait,
// ends a running statement and keeps new ones from running.

// busyDelays is SQLite's own back-off schedule (sqliteDefaultBusyCallback):
// the pause before retry n, then 100 ms for every later retry.
var busyDelays = [...]time.Duration{1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100}

// abortState is what the Go callbacks of a connection look at. It is shared
// with the callbacks through handles, never through a C pointer.
type abortState struct {
	timeout time.Duration // busy timeout; <= 0 means never wait
	aborted atomic.Bool
	done    chan struct{} // closed by abort
	once    sync.Once
}

func newAbortState(timeout time.Duration) *abortState {
	return &abortState{timeout: timeout, done: make(chan struct{})}
}

func (a *abortState) abort() {
	a.once.Do(func() {
		a.aborted.Store(true)
		close(a.done)
	})
}

// handles maps the user-data word given to SQLite to a connection's state.
var (
	handles    sync.Map // uintptr → *abortState
	nextHandle atomic.Uintptr
)

// registerAbort installs the Go busy and progress handlers on c.db.
func (c *Conn) registerAbort(timeout time.Duration) {
	c.abort = newAbortState(timeout)
	c.handle = nextHandle.Add(1)
	handles.Store(c.handle, c.abort)
	lib.Xsqlite3_busy_handler(c.tls, c.db, cFunc(busyCallback), c.handle)
	// Every 1000 virtual-machine steps: catches an abort that sqlite3_interrupt
	// missed because it arrived just before the statement started.
	lib.Xsqlite3_progress_handler(c.tls, c.db, 1000, cFunc(progressCallback), c.handle)
}

// unregisterAbort forgets c's handle; call after the database is closed.
func (c *Conn) unregisterAbort() {
	if c.handle != 0 {
		handles.Delete(c.handle)
		c.handle = 0
	}
}

func lookupAbort(h uintptr) *abortState {
	v, ok := handles.Load(h)
	if !ok {
		return nil
	}
	return v.(*abortState)
}

// onBusyWait, when set (by tests), runs before each pause of busyCallback.
var onBusyWait func()

// busyCallback is the sqlite3_busy_handler: it sleeps by SQLite's schedule
// until the timeout has passed (0: give up, SQLITE_BUSY) or the connection is
// aborted (0 at once). 1 means "try again".
func busyCallback(_ *libc.TLS, h uintptr, count int32) int32 {
	a := lookupAbort(h)
	if a == nil || a.aborted.Load() {
		return 0
	}
	delay, waited := busyStep(int(count))
	if waited >= a.timeout {
		return 0
	}
	delay = min(delay, a.timeout-waited)
	if onBusyWait != nil {
		onBusyWait()
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return 1
	case <-a.done:
		return 0
	}
}

// busyStep returns the pause before retry n and the time already waited
// before it, by busyDelays.
func busyStep(n int) (delay, waited time.Duration) {
	last := len(busyDelays) - 1
	for i := 0; i < min(n, last); i++ {
		waited += busyDelays[i]
	}
	if n > last {
		waited += busyDelays[last] * time.Duration(n-last)
	}
	delay = busyDelays[min(n, last)]
	return delay * time.Millisecond, waited * time.Millisecond
}

// progressCallback is the sqlite3_progress_handler: non-zero stops the
// running statement with SQLITE_INTERRUPT.
func progressCallback(_ *libc.TLS, h uintptr) int32 {
	if a := lookupAbort(h); a != nil && a.aborted.Load() {
		return 1
	}
	return 0
}

// cFunc turns a top-level Go function into the function pointer form that
// modernc's translated C code calls (a pointer to the func value). Only use it
// with functions declared at package level, never with closures.
func cFunc[T any](f T) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f T }{f}))
}

// Abort makes the connection give up: a wait for another connection's lock
// ends at once with SQLITE_BUSY, a running statement stops soon with
// SQLITE_INTERRUPT, and so does every later statement, for good. It is for
// tearing a connection down from another goroutine (the host calls it when a
// lunatic process is killed); it may be called at any time, more than once,
// concurrently with a running call, and after Close.
func (c *Conn) Abort() {
	if c.abort != nil {
		c.abort.abort()
	}
	c.Interrupt()
}

// Abort aborts every connection of the session (see Conn.Abort), including
// those opened later.
func (s *Session) Abort() {
	s.mu.Lock()
	s.aborted = true
	conns := make([]*Conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Abort()
	}
}
