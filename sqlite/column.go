package sqlite

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	lib "modernc.org/sqlite/lib"
)

// SQLite's fundamental datatypes (sqlite3_column_type).
const (
	typeInteger = lib.SQLITE_INTEGER
	typeFloat   = lib.SQLITE_FLOAT
	typeText    = lib.SQLITE_TEXT
	typeBlob    = lib.SQLITE_BLOB
)

// Column returns column col of the current row exactly as stored: INTEGER as
// KindInteger, FLOAT as KindDouble, TEXT and BLOB with all their bytes (a
// copy), NULL as KindNull. Without a current row every column reads as Null.
// For the lossy form the ABI hands to guests use ReadColumn.
func (s *Stmt) Column(col int) (Value, error) {
	if err := s.lock(); err != nil {
		return Value{}, err
	}
	defer s.c.mu.Unlock()
	if err := s.checkColumn(col); err != nil {
		return Value{}, err
	}
	v, raw := s.columnLocked(col)
	if raw != nil {
		v.Bytes = bytes.Clone(raw)
	}
	return v, nil
}

// ReadColumn appends column col of the current row to dst, encoded as a
// SqliteValue the way lunatic's read_column returns it: TEXT is cut at its
// first NUL byte and ill-formed UTF-8 is replaced by U+FFFD.
func (s *Stmt) ReadColumn(dst []byte, col int) ([]byte, error) {
	if err := s.lock(); err != nil {
		return dst, err
	}
	defer s.c.mu.Unlock()
	if err := s.checkColumn(col); err != nil {
		return dst, err
	}
	return s.appendColumnLocked(dst, col), nil
}

// ReadRow appends every column of the current row to dst, encoded as a
// SqliteRow the way lunatic's read_row returns it (see ReadColumn).
func (s *Stmt) ReadRow(dst []byte) ([]byte, error) {
	if err := s.lock(); err != nil {
		return dst, err
	}
	defer s.c.mu.Unlock()
	dst = appendU64(dst, uint64(len(s.names)))
	for col := range s.names {
		dst = s.appendColumnLocked(dst, col)
	}
	return dst, nil
}

// checkColumn validates a column index against the count captured at prepare.
func (s *Stmt) checkColumn(col int) error {
	if col < 0 || col >= len(s.names) {
		return fmt.Errorf("column %d of %d: %w", col, len(s.names), ErrColumnRange)
	}
	return nil
}

// columnLocked reads column col; for TEXT and BLOB it also returns a view of
// SQLite's bytes, valid until the statement moves. c.mu must be held.
func (s *Stmt) columnLocked(col int) (Value, []byte) {
	tls, i := s.c.tls, int32(col)
	switch lib.Xsqlite3_column_type(tls, s.p, i) {
	case typeInteger:
		return Integer(lib.Xsqlite3_column_int64(tls, s.p, i)), nil
	case typeFloat:
		return Double(lib.Xsqlite3_column_double(tls, s.p, i)), nil
	case typeText:
		p := lib.Xsqlite3_column_text(tls, s.p, i)
		return Value{Kind: KindText}, nonNil(cView(p, int(lib.Xsqlite3_column_bytes(tls, s.p, i))))
	case typeBlob:
		p := lib.Xsqlite3_column_blob(tls, s.p, i)
		return Value{Kind: KindBlob}, nonNil(cView(p, int(lib.Xsqlite3_column_bytes(tls, s.p, i))))
	}
	return Null(), nil
}

// appendColumnLocked encodes column col the ABI way; c.mu must be held.
func (s *Stmt) appendColumnLocked(dst []byte, col int) []byte {
	v, raw := s.columnLocked(col)
	switch v.Kind {
	case KindBlob:
		v.Bytes = raw
	case KindText:
		if k := bytes.IndexByte(raw, 0); k >= 0 {
			raw = raw[:k]
		}
		if utf8.Valid(raw) {
			v.Bytes = raw
			break
		}
		dst = appendU64(appendU32(dst, uint32(KindText)), uint64(lossyLen(raw)))
		return appendLossy(dst, raw)
	}
	return AppendValue(dst, v)
}

// nonNil turns a nil view into an empty one, so that empty TEXT and BLOB
// values are told apart from "no bytes read".
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
