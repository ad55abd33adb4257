package sqlite

import (
	"fmt"
	"math"

	lib "modernc.org/sqlite/lib"
)

// Bind sets parameter i (1-based) to v. Integers of either kind bind as a
// 64-bit INTEGER, Text keeps embedded NULs, and an empty Blob binds a
// zero-length blob, not NULL. SQLite copies the bytes; v may be reused.
// Binding does not reset the statement: on a statement that is mid-iteration
// it fails with CodeMisuse until Reset.
func (s *Stmt) Bind(i int, v Value) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	return s.bindLocked(uint64(max(i, 0)), v)
}

// BindList binds pairs in order, as lunatic's bind_value does: a KeyNumeric
// key binds its index, KeyNone and KeyName keys bind index 1 (the name is
// ignored). The first failure stops the list; earlier pairs stay bound.
func (s *Stmt) BindList(pairs []BindPair) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	for n, p := range pairs {
		if err := s.bindLocked(p.Key.Param(), p.Value); err != nil {
			return fmt.Errorf("bind pair %d (parameter %d): %w", n, p.Key.Param(), err)
		}
	}
	return nil
}

// BindWire decodes a bincode BindList (the bytes a guest passes to
// bind_value) and binds it with BindList. Nothing is bound when the bytes do
// not decode.
func (s *Stmt) BindWire(b []byte) error {
	pairs, err := DecodeBindList(b)
	if err != nil {
		return err
	}
	return s.BindList(pairs)
}

// bindLocked binds v at parameter i; c.mu must be held.
func (s *Stmt) bindLocked(i uint64, v Value) error {
	c := s.c
	if s.p == 0 {
		return &Error{Code: CodeMisuse, Msg: errstr(c.tls, CodeMisuse)}
	}
	if i > math.MaxInt32 {
		return &Error{Code: CodeRange, Msg: errstr(c.tls, CodeRange)}
	}
	idx := int32(i)
	var rc int32
	switch v.Kind {
	case KindNull:
		rc = lib.Xsqlite3_bind_null(c.tls, s.p, idx)
	case KindInteger, KindInt64:
		rc = lib.Xsqlite3_bind_int64(c.tls, s.p, idx, v.Int)
	case KindDouble:
		rc = lib.Xsqlite3_bind_double(c.tls, s.p, idx, v.Float)
	case KindBlob:
		if len(v.Bytes) == 0 {
			rc = lib.Xsqlite3_bind_zeroblob(c.tls, s.p, idx, 0)
			break
		}
		p, err := c.buf.load(c.tls, v.Bytes, false)
		if err != nil {
			return err
		}
		rc = lib.Xsqlite3_bind_blob64(c.tls, s.p, idx, p, uint64(len(v.Bytes)), lib.SQLITE_TRANSIENT)
	case KindText:
		p, err := c.buf.load(c.tls, v.Bytes, false)
		if err != nil {
			return err
		}
		rc = lib.Xsqlite3_bind_text64(c.tls, s.p, idx, p, uint64(len(v.Bytes)), lib.SQLITE_TRANSIENT, lib.SQLITE_UTF8)
	default:
		return fmt.Errorf("bind parameter %d: unknown value kind %v", i, v.Kind)
	}
	if rc != CodeOK {
		return c.errorFor(rc)
	}
	return nil
}
