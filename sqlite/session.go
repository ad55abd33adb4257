package sqlite

import (
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// ErrNotUTF8 is returned (wrapped) for SQL text that is not UTF-8; the ABI traps.
var ErrNotUTF8 = errors.New("sqlite: text is not UTF-8")

// Session holds one lunatic process's SQLite resources: a connection table and
// a statement table, each numbering from 0 and never reusing an id. Every
// method matches one host function of lunatic::sqlite (see the package doc);
// a non-nil error from any of them except Open means "trap". Methods are safe
// for concurrent use.
type Session struct {
	opts Options

	mu       sync.Mutex
	closed   bool
	aborted  bool // set by Abort; later connections are aborted as they open
	conns    map[uint64]*Conn
	stmts    map[uint64]*Stmt
	nextConn uint64
	nextStmt uint64
}

// NewSession returns an empty Session whose connections are opened with opts.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, conns: make(map[uint64]*Conn), stmts: make(map[uint64]*Stmt)}
}

// Open opens the database at path (after the caller's CheckAccess) and
// returns its connection id: lunatic's open. A failure is an ordinary error
// the host turns into an error resource (open returns 1).
func (s *Session) Open(path string) (uint64, error) {
	c, err := Open(path, s.opts)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return 0, ErrClosed
	}
	id := s.nextConn
	s.nextConn++
	s.conns[id] = c
	if s.aborted {
		c.Abort()
	}
	return id, nil
}

// Execute runs every statement of sql on connection connID: lunatic's
// execute. It returns 0 or the primary SQLite result code of the failure; the
// error is for traps only (unknown id, sql not UTF-8).
func (s *Session) Execute(connID uint64, sql []byte) (uint32, error) {
	c, err := s.Conn(connID)
	if err != nil {
		return 0, err
	}
	if !utf8.Valid(sql) {
		return 0, fmt.Errorf("execute: %w", ErrNotUTF8)
	}
	err = c.Exec(string(sql))
	if errors.Is(err, ErrClosed) {
		return 0, err
	}
	return uint32(PrimaryCode(err)), nil
}

// Prepare compiles the first statement of sql on connection connID and
// returns the statement id: lunatic's query_prepare. Any error traps.
func (s *Session) Prepare(connID uint64, sql []byte) (uint64, error) {
	c, err := s.Conn(connID)
	if err != nil {
		return 0, err
	}
	if !utf8.Valid(sql) {
		return 0, fmt.Errorf("prepare: %w", ErrNotUTF8)
	}
	st, err := c.Prepare(string(sql))
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextStmt
	s.nextStmt++
	s.stmts[id] = st
	return id, nil
}

// BindValue decodes the bincode BindList in data and binds it to statement
// stmtID: lunatic's bind_value. Decoded text and blobs alias data only for
// the duration of the call. Any error traps.
func (s *Session) BindValue(stmtID uint64, data []byte) error {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return err
	}
	return st.BindWire(data)
}

// Step advances statement stmtID and returns CodeRow or CodeDone:
// lunatic's sqlite3_step. Any error traps.
func (s *Session) Step(stmtID uint64) (int32, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return 0, err
	}
	rc, err := st.Step()
	return int32(rc), err
}

// Reset rewinds statement stmtID, keeping its bindings: lunatic's
// statement_reset. Any error traps.
func (s *Session) Reset(stmtID uint64) error {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return err
	}
	return st.Reset()
}

// Finalize removes statement stmtID from the table and destroys it:
// lunatic's sqlite3_finalize. An unknown id (also a second finalize) traps.
func (s *Session) Finalize(stmtID uint64) error {
	s.mu.Lock()
	st, ok := s.stmts[stmtID]
	delete(s.stmts, stmtID)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("statement %d: %w", stmtID, ErrNoStatement)
	}
	if err := st.Finalize(); err != nil && !errors.Is(err, ErrClosed) {
		return err
	}
	return nil
}

// Changes returns the rows changed by the most recent INSERT, UPDATE or
// DELETE on connection connID: lunatic's sqlite3_changes.
func (s *Session) Changes(connID uint64) (uint32, error) {
	c, err := s.Conn(connID)
	if err != nil {
		return 0, err
	}
	n, err := c.Changes()
	return uint32(n), err
}

// ColumnCount returns the result column count of statement stmtID:
// lunatic's column_count.
func (s *Session) ColumnCount(stmtID uint64) (uint32, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return 0, err
	}
	return uint32(st.ColumnCount()), nil
}
