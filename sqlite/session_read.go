package sqlite

import "fmt"

// The Session methods that return variable-size data append it to dst and
// return the extended slice; the host copies it into memory obtained from the
// guest's lunatic_alloc. dst may be nil or a buffer the host reuses.

// ReadColumn appends column col of statement stmtID's current row as a
// bincode SqliteValue: lunatic's read_column.
func (s *Session) ReadColumn(dst []byte, stmtID uint64, col uint32) ([]byte, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return dst, err
	}
	return st.ReadColumn(dst, int(col))
}

// ReadRow appends statement stmtID's current row as a bincode SqliteRow:
// lunatic's read_row.
func (s *Session) ReadRow(dst []byte, stmtID uint64) ([]byte, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return dst, err
	}
	return st.ReadRow(dst)
}

// ColumnNames appends statement stmtID's result column names as a bincode
// Vec<String>: lunatic's column_names.
func (s *Session) ColumnNames(dst []byte, stmtID uint64) ([]byte, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return dst, err
	}
	return AppendStrings(dst, st.names), nil
}

// ColumnName appends the name of result column col of statement stmtID as
// raw UTF-8, without any length prefix: lunatic's column_name.
func (s *Session) ColumnName(dst []byte, stmtID uint64, col uint32) ([]byte, error) {
	st, err := s.Stmt(stmtID)
	if err != nil {
		return dst, err
	}
	name, err := st.ColumnName(int(col))
	if err != nil {
		return dst, err
	}
	return append(dst, name...), nil
}

// LastError appends connection connID's current error as a bincode
// SqliteError {code: Option<u32>, message: Option<String>}: lunatic's
// last_error. The code is the primary one; with no error pending both fields
// are None (bytes 00 00).
func (s *Session) LastError(dst []byte, connID uint64) ([]byte, error) {
	c, err := s.Conn(connID)
	if err != nil {
		return dst, err
	}
	e, err := c.LastError()
	if err != nil {
		return dst, err
	}
	return AppendErrorRecord(dst, e.Record()), nil
}

// Conn returns connection connID.
func (s *Session) Conn(connID uint64) (*Conn, error) {
	s.mu.Lock()
	c, ok := s.conns[connID]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("connection %d: %w", connID, ErrNoConnection)
	}
	return c, nil
}

// Stmt returns statement stmtID.
func (s *Session) Stmt(stmtID uint64) (*Stmt, error) {
	s.mu.Lock()
	st, ok := s.stmts[stmtID]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("statement %d: %w", stmtID, ErrNoStatement)
	}
	return st, nil
}

// Close finalizes every statement and closes every connection; call it when
// the process ends. Later calls find no connections or statements, and Open
// fails with ErrClosed. Close is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	conns := s.conns
	s.closed = true
	s.conns = make(map[uint64]*Conn)
	s.stmts = make(map[uint64]*Stmt)
	s.mu.Unlock()
	var first error
	for id, c := range conns {
		if err := c.Close(); err != nil && first == nil {
			first = fmt.Errorf("close connection %d: %w", id, err)
		}
	}
	return first
}
