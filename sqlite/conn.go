package sqlite

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// openFlags are the flags lunatic opens databases with (READWRITE|CREATE, no
// URI filenames) plus NOMUTEX: Conn serialises every call itself.
const openFlags = lib.SQLITE_OPEN_READWRITE | lib.SQLITE_OPEN_CREATE | lib.SQLITE_OPEN_NOMUTEX

// Conn is one SQLite database connection. Its methods are safe for concurrent
// use; calls on the connection and on its statements are serialised.
type Conn struct {
	mu  sync.Mutex
	tls *libc.TLS // modernc's per-thread state; one per connection, never shared
	db  uintptr   // sqlite3*; 0 once closed
	buf cBuf      // scratch C memory for SQL text and bound bytes

	stmts map[*Stmt]struct{} // unfinalized statements, finalized by Close

	abort  *abortState // what Abort sets and the Go busy/progress handlers read
	handle uintptr     // c's key in handles, the handlers' user data; 0 once closed

	// hmu guards db against Close for Interrupt, which cannot take mu
	// because the call it interrupts holds it. Order: mu, then hmu.
	hmu sync.Mutex
}

// Open opens (creating if needed) the database at path: a host file path,
// ":memory:" for a private in-memory database or "" for a private temporary
// one. Path permission checks are the caller's (see CheckAccess). Open then
// sets the busy timeout and the journal and synchronous modes of opts.
func Open(path string, opts Options) (*Conn, error) {
	setup, err := opts.setupSQL()
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	if bytes.IndexByte([]byte(path), 0) >= 0 {
		return nil, fmt.Errorf("open %q: path contains a NUL byte", path)
	}
	c := &Conn{tls: libc.NewTLS(), stmts: make(map[*Stmt]struct{})}
	if err := c.open(path); err != nil {
		c.release()
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	c.registerAbort(opts.busyDuration())
	if err := c.configure(setup, opts.busyDuration()); err != nil {
		c.Close()
		return nil, fmt.Errorf("open %q: configure: %w", path, err)
	}
	return c, nil
}

// onConfigureRetry, when set (by tests), runs before each configure retry.
var onConfigureRetry func()

// configure runs the setup pragmas. Switching into WAL upgrades a read
// transaction to a write one, and SQLite does not call the busy handler for
// such an upgrade (it could deadlock), so when several connections open a
// fresh database at once the switch can fail with SQLITE_BUSY at once. It is
// retried, with a growing pause, until the busy timeout has passed.
func (c *Conn) configure(setup string, timeout time.Duration) error {
	if setup == "" {
		return nil
	}
	deadline := time.Now().Add(timeout)
	pause := time.Millisecond
	for {
		err := c.Exec(setup)
		if PrimaryCode(err) != CodeBusy || !time.Now().Before(deadline) {
			return err
		}
		if onConfigureRetry != nil {
			onConfigureRetry()
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-c.abort.done:
			t.Stop()
			return err
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// open runs sqlite3_open_v2. On failure SQLite may still hand out a handle
// carrying the message; it is read and closed here.
func (c *Conn) open(path string) error {
	name, err := c.buf.load(c.tls, []byte(path), true)
	if err != nil {
		return err
	}
	pdb := c.tls.Alloc(8)
	defer c.tls.Free(8)
	rc := lib.Xsqlite3_open_v2(c.tls, name, pdb, openFlags, 0)
	db := cPtr(pdb)
	if rc == CodeOK {
		c.db = db
		return nil
	}
	e := &Error{Code: int(rc), Msg: errstr(c.tls, rc)}
	if db != 0 {
		e.Code = int(lib.Xsqlite3_extended_errcode(c.tls, db))
		e.Msg = libc.GoString(lib.Xsqlite3_errmsg(c.tls, db))
		lib.Xsqlite3_close_v2(c.tls, db)
	}
	return e
}

// Close finalizes the connection's remaining statements and closes it. Every
// Conn and Stmt method fails with ErrClosed afterwards. Close is idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == 0 {
		return nil
	}
	for s := range c.stmts {
		lib.Xsqlite3_finalize(c.tls, s.p)
		s.closed = true
	}
	clear(c.stmts)
	c.hmu.Lock()
	rc := lib.Xsqlite3_close_v2(c.tls, c.db)
	c.db = 0
	c.hmu.Unlock()
	c.unregisterAbort()
	var err error
	if rc != CodeOK {
		err = &Error{Code: int(rc), Msg: errstr(c.tls, rc)}
	}
	c.release()
	return err
}

// release frees what the connection holds besides the SQLite handle.
func (c *Conn) release() {
	c.buf.free(c.tls)
	c.tls.Close()
}

// Exec runs every statement of sql, discarding results (sqlite3_exec). On
// failure the *Error carries the extended code and message; the ABI's execute
// returns PrimaryCode(err). SQL containing a NUL byte fails with CodeError
// without reaching SQLite (the connection's last error is left alone).
func (c *Conn) Exec(sql string) error {
	if bytes.IndexByte([]byte(sql), 0) >= 0 {
		return errNUL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == 0 {
		return ErrClosed
	}
	p, err := c.buf.load(c.tls, []byte(sql), true)
	if err != nil {
		return err
	}
	if rc := lib.Xsqlite3_exec(c.tls, c.db, p, 0, 0, 0); rc != CodeOK {
		return c.errorFor(rc)
	}
	return nil
}

// Changes returns sqlite3_changes: the rows changed by the most recent
// INSERT, UPDATE or DELETE on this connection.
func (c *Conn) Changes() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == 0 {
		return 0, ErrClosed
	}
	return int(lib.Xsqlite3_changes(c.tls, c.db)), nil
}

// LastError returns the connection's current error (sqlite3_extended_errcode
// and sqlite3_errmsg), or nil when the most recent call succeeded (codes OK,
// ROW and DONE are not errors).
func (c *Conn) LastError() (*Error, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == 0 {
		return nil, ErrClosed
	}
	code := int(lib.Xsqlite3_extended_errcode(c.tls, c.db))
	switch code & 0xff {
	case CodeOK, CodeRow, CodeDone:
		return nil, nil
	}
	return &Error{Code: code, Msg: libc.GoString(lib.Xsqlite3_errmsg(c.tls, c.db))}, nil
}

// Interrupt makes the statement running on the connection, if any, stop soon
// with SQLITE_INTERRUPT (sqlite3_interrupt). It may be called from any
// goroutine, concurrently with a running call.
func (c *Conn) Interrupt() {
	// c.mu is held by the running call; hmu keeps Close away instead. The
	// call runs on a TLS of its own: a libc.TLS is not safe to share.
	c.hmu.Lock()
	defer c.hmu.Unlock()
	if c.db == 0 {
		return
	}
	tls := libc.NewTLS()
	lib.Xsqlite3_interrupt(tls, c.db)
	tls.Close()
}

// errorFor builds the *Error for a failed call that returned rc. The details
// come from the connection when they belong to the same failure; otherwise
// SQLite's generic text for rc is used.
func (c *Conn) errorFor(rc int32) *Error {
	ext := lib.Xsqlite3_extended_errcode(c.tls, c.db)
	if ext&0xff != rc&0xff {
		return &Error{Code: int(rc), Msg: errstr(c.tls, rc)}
	}
	return &Error{Code: int(ext), Msg: libc.GoString(lib.Xsqlite3_errmsg(c.tls, c.db))}
}

// errstr is sqlite3_errstr: SQLite's English text for a result code.
func errstr(tls *libc.TLS, rc int32) string {
	return libc.GoString(lib.Xsqlite3_errstr(tls, rc))
}
