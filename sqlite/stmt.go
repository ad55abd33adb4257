package sqlite

import (
	"bytes"
	"fmt"
	"math"
	"slices"

	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// Stmt is a prepared statement of a Conn. Like the ABI's statements it keeps
// its bindings across Reset and re-runs from the start when stepped after
// CodeDone. Its methods are safe for concurrent use (they lock the Conn).
type Stmt struct {
	c      *Conn
	p      uintptr  // sqlite3_stmt*; 0 when the SQL held no statement
	names  []string // result column names, captured at prepare
	closed bool     // guarded by c.mu
}

// Prepare compiles the first statement of sql (sqlite3_prepare_v2; the rest
// of the text is ignored) and captures its result column names.
//
// SQL that is empty or only a comment yields a statement with no columns
// whose Step fails with CodeMisuse, as in lunatic. SQL containing a NUL byte
// fails with CodeError without reaching SQLite.
func (c *Conn) Prepare(sql string) (*Stmt, error) {
	if bytes.IndexByte([]byte(sql), 0) >= 0 {
		return nil, errNUL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == 0 {
		return nil, ErrClosed
	}
	text, err := c.buf.load(c.tls, []byte(sql), true)
	if err != nil {
		return nil, err
	}
	pp := c.tls.Alloc(8)
	defer c.tls.Free(8)
	nByte := int32(-1) // up to the terminator, for text too long for an int
	if len(sql) < math.MaxInt32 {
		nByte = int32(len(sql) + 1) // terminator included: SQLite's fast path
	}
	if rc := lib.Xsqlite3_prepare_v2(c.tls, c.db, text, nByte, pp, 0); rc != CodeOK {
		return nil, c.errorFor(rc)
	}
	s := &Stmt{c: c, p: cPtr(pp)}
	n := int(lib.Xsqlite3_column_count(c.tls, s.p))
	s.names = make([]string, n)
	for i := range n {
		name := lib.Xsqlite3_column_name(c.tls, s.p, int32(i))
		s.names[i] = lossyString(cView(name, cStrlen(name)))
	}
	c.stmts[s] = struct{}{}
	return s, nil
}

// lock takes the connection lock, or fails with ErrClosed (lock not held)
// when the statement or its connection is closed.
func (s *Stmt) lock() error {
	s.c.mu.Lock()
	if s.closed || s.c.db == 0 {
		s.c.mu.Unlock()
		return ErrClosed
	}
	return nil
}

// Conn returns the statement's connection.
func (s *Stmt) Conn() *Conn { return s.c }

// Step advances the statement: CodeRow when a row is ready, CodeDone when it
// has finished. Every other outcome is an *Error (constraint violation,
// SQLITE_BUSY after the busy timeout, misuse, …).
func (s *Stmt) Step() (int, error) {
	if err := s.lock(); err != nil {
		return 0, err
	}
	defer s.c.mu.Unlock()
	if s.p == 0 {
		return CodeMisuse, &Error{Code: CodeMisuse, Msg: errstr(s.c.tls, CodeMisuse)}
	}
	switch rc := lib.Xsqlite3_step(s.c.tls, s.p); rc {
	case CodeRow, CodeDone:
		return int(rc), nil
	default:
		return int(rc), s.c.errorFor(rc)
	}
}

// Reset rewinds the statement (sqlite3_reset); bindings are kept. It reports
// the error of a failed previous Step again, as SQLite does.
func (s *Stmt) Reset() error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	if rc := lib.Xsqlite3_reset(s.c.tls, s.p); rc != CodeOK {
		return s.c.errorFor(rc)
	}
	return nil
}

// Finalize destroys the statement. A second Finalize fails with ErrClosed.
func (s *Stmt) Finalize() error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	s.closed = true
	delete(s.c.stmts, s)
	// The return value repeats the last Step error, already reported.
	lib.Xsqlite3_finalize(s.c.tls, s.p)
	return nil
}

// ColumnCount returns the number of result columns, captured at prepare.
func (s *Stmt) ColumnCount() int { return len(s.names) }

// ColumnNames returns the result column names, captured at prepare.
func (s *Stmt) ColumnNames() []string { return slices.Clone(s.names) }

// ColumnName returns the name of result column i.
func (s *Stmt) ColumnName(i int) (string, error) {
	if i < 0 || i >= len(s.names) {
		return "", fmt.Errorf("column %d of %d: %w", i, len(s.names), ErrColumnRange)
	}
	return s.names[i], nil
}

// cStrlen is strlen for a C string (0 for a NULL pointer).
func cStrlen(p uintptr) int {
	if p == 0 {
		return 0
	}
	return int(libc.Xstrlen(nil, p))
}
