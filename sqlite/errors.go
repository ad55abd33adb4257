package sqlite

import (
	"errors"
	"fmt"
)

// SQLite result codes that this package and its callers act on. The values are
// SQLite's own (https://sqlite.org/rescode.html); the full set is not repeated here.
const (
	CodeOK         = 0   // SQLITE_OK
	CodeError      = 1   // SQLITE_ERROR
	CodeBusy       = 5   // SQLITE_BUSY
	CodeReadOnly   = 8   // SQLITE_READONLY
	CodeConstraint = 19  // SQLITE_CONSTRAINT
	CodeMisuse     = 21  // SQLITE_MISUSE
	CodeRange      = 25  // SQLITE_RANGE
	CodeRow        = 100 // SQLITE_ROW: Step produced a row
	CodeDone       = 101 // SQLITE_DONE: Step finished the statement
)

// Error is a failure reported by SQLite: its extended result code and the
// message SQLite gave for it.
type Error struct {
	// Code is the extended result code, e.g. 2067 (SQLITE_CONSTRAINT_UNIQUE).
	// Primary reduces it to what the lunatic ABI reports.
	Code int
	// Msg is SQLite's message (sqlite3_errmsg), e.g. "no such table: foo".
	Msg string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("sqlite: %s (code %d)", e.Msg, e.Code)
}

// Primary returns the primary result code (the low 8 bits of Code): the
// number the lunatic ABI hands to guests, which never enable extended codes.
func (e *Error) Primary() int { return e.Code & 0xff }

// Sentinel errors for misuse by the caller (in the ABI, all of them trap).
var (
	// ErrClosed is returned for calls on a closed connection or statement.
	ErrClosed = errors.New("sqlite: connection or statement is closed")
	// ErrNoConnection is returned by Session calls naming an unknown connection id.
	ErrNoConnection = errors.New("sqlite: no such connection")
	// ErrNoStatement is returned by Session calls naming an unknown statement id.
	ErrNoStatement = errors.New("sqlite: no such statement")
	// ErrColumnRange is returned for a column index outside [0, ColumnCount).
	ErrColumnRange = errors.New("sqlite: column index out of range")
	// ErrMalformed is returned (wrapped) by the wire decoders for bytes that
	// bincode would refuse.
	ErrMalformed = errors.New("sqlite: malformed wire data")
)

// errNUL is what SQL text containing a NUL byte yields: the original wrapper
// refuses such text before SQLite sees it and reports SQLITE_ERROR.
var errNUL = &Error{Code: CodeError, Msg: "SQL text contains a NUL byte"}

// PrimaryCode returns the primary SQLite result code carried by err: 0 for nil,
// the code of an *Error in its chain, and CodeError for any other error.
// It is the return value of the ABI function execute.
func PrimaryCode(err error) int {
	if err == nil {
		return CodeOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Primary()
	}
	return CodeError
}
