package sqlite

import (
	"bytes"
	"errors"
	"testing"
)

// newSession returns a Session with one in-memory connection.
func newSession(t *testing.T, opts Options) (*Session, uint64) {
	t.Helper()
	s := NewSession(opts)
	t.Cleanup(func() { s.Close() })
	id, err := s.Open(":memory:")
	ok(t, err, "open")
	return s, id
}

// execSQL runs sql through Session.Execute and returns the code.
func execSQL(t *testing.T, s *Session, conn uint64, sql string) uint32 {
	t.Helper()
	code, err := s.Execute(conn, []byte(sql))
	ok(t, err, "execute "+sql)
	return code
}

// lastError returns the decoded last_error bytes.
func lastError(t *testing.T, s *Session, conn uint64) ErrorRecord {
	t.Helper()
	b, err := s.LastError(nil, conn)
	ok(t, err, "last_error")
	r, err := DecodeErrorRecord(b)
	ok(t, err, "decode last_error")
	return r
}

func TestLastErrorVector(t *testing.T) {
	s, conn := newSession(t, Options{})
	if code := execSQL(t, s, conn, "select * from foo"); code != 1 {
		t.Fatalf("execute = %d, want 1", code)
	}
	got, err := s.LastError(nil, conn)
	ok(t, err, "last_error")
	want := unhex(t, `01  01 00 00 00  01  12 00 00 00 00 00 00 00
		6E 6F 20 73 75 63 68 20 74 61 62 6C 65 3A 20 66 6F 6F`)
	if !bytes.Equal(got, want) {
		t.Errorf("last_error:\n got % x\nwant % x", got, want)
	}
}

func TestLastErrorNone(t *testing.T) {
	s, conn := newSession(t, Options{})
	want := []byte{0, 0}
	check := func(when string) {
		t.Helper()
		if b, _ := s.LastError(nil, conn); !bytes.Equal(b, want) {
			t.Errorf("last_error %s = % x, want 00 00", when, b)
		}
	}
	check("on a fresh connection")
	execSQL(t, s, conn, "select * from nope")
	execSQL(t, s, conn, "create table t(x)")
	check("after a successful execute")
	st, err := s.Prepare(conn, []byte("select 1"))
	ok(t, err, "prepare")
	if rc, _ := s.Step(st); rc != CodeRow {
		t.Fatalf("step = %d", rc)
	}
	check("after a step that produced a row")
	if rc, _ := s.Step(st); rc != CodeDone {
		t.Fatalf("step = %d", rc)
	}
	check("after a step that finished")
}

func TestExecuteCodes(t *testing.T) {
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, "CREATE TABLE u(x UNIQUE NOT NULL); INSERT INTO u VALUES (1)")
	tests := []struct {
		sql  string
		code uint32
		msg  string
	}{
		{"selec 1", CodeError, `near "selec": syntax error`},
		{"select * from missing", CodeError, "no such table: missing"},
		{"INSERT INTO u VALUES (1)", CodeConstraint, "UNIQUE constraint failed: u.x"},
		{"INSERT INTO u VALUES (NULL)", CodeConstraint, "NOT NULL constraint failed: u.x"},
		{"INSERT INTO u VALUES (2); INSERT INTO u VALUES (2)", CodeConstraint, "UNIQUE constraint failed: u.x"},
	}
	for _, tt := range tests {
		if code := execSQL(t, s, conn, tt.sql); code != tt.code {
			t.Errorf("execute(%q) = %d, want %d", tt.sql, code, tt.code)
			continue
		}
		rec := lastError(t, s, conn)
		if !rec.HasCode || rec.Code != tt.code || !rec.HasMessage || rec.Message != tt.msg {
			t.Errorf("last_error after %q = %+v, want code %d %q", tt.sql, rec, tt.code, tt.msg)
		}
	}
	// The first statement of a multi-statement text ran before the failure.
	c, _ := s.Conn(conn)
	st := prepare(t, c, "SELECT count(*) FROM u WHERE x = 2")
	step(t, st, CodeRow)
	if v, _ := st.Column(0); v.Int != 1 {
		t.Errorf("rows with x=2: %d, want 1", v.Int)
	}
}

func TestExecuteNUL(t *testing.T) {
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, "select * from foo")
	if code := execSQL(t, s, conn, "select 1;\x00 drop table x"); code != CodeError {
		t.Errorf("execute with NUL = %d, want 1", code)
	}
	// SQLite never saw the text: the previous error is still current.
	if rec := lastError(t, s, conn); rec.Message != "no such table: foo" {
		t.Errorf("last_error = %+v, want the earlier error", rec)
	}
	if _, err := s.Prepare(conn, []byte("select 1\x00")); err == nil {
		t.Error("prepare with NUL succeeded; want an error (trap)")
	}
}

func TestExtendedCodes(t *testing.T) {
	c := memConn(t)
	ok(t, c.Exec("CREATE TABLE u(x UNIQUE NOT NULL)"), "create")
	ok(t, c.Exec("INSERT INTO u VALUES (1)"), "insert")
	err := c.Exec("INSERT INTO u VALUES (1)")
	var e *Error
	if !errors.As(err, &e) || e.Code != 2067 || e.Primary() != CodeConstraint {
		t.Fatalf("Exec error = %#v, want SQLITE_CONSTRAINT_UNIQUE (2067)", err)
	}
	if PrimaryCode(err) != CodeConstraint {
		t.Errorf("PrimaryCode = %d", PrimaryCode(err))
	}
	st := prepare(t, c, "INSERT INTO u VALUES (?)")
	ok(t, st.Bind(1, Null()), "bind")
	_, err = st.Step()
	if !errors.As(err, &e) || e.Code != 1299 || e.Msg != "NOT NULL constraint failed: u.x" {
		t.Fatalf("Step error = %#v, want SQLITE_CONSTRAINT_NOTNULL (1299)", err)
	}
	last, err := c.LastError()
	ok(t, err, "LastError")
	if last == nil || last.Code != 1299 {
		t.Errorf("LastError = %#v, want extended code 1299", last)
	}
	// Reset repeats the failure of the step before it.
	if err := st.Reset(); !errors.As(err, &e) || e.Primary() != CodeConstraint {
		t.Errorf("Reset = %v, want the constraint error again", err)
	}
	ok(t, st.Reset(), "second reset")
}

func TestReadOnlyAndBusyCodes(t *testing.T) {
	s := NewSession(Options{BusyTimeout: -1})
	t.Cleanup(func() { s.Close() })
	path := t.TempDir() + "/busy.db"
	a, err := s.Open(path)
	ok(t, err, "open a")
	b, err := s.Open(path)
	ok(t, err, "open b")
	execSQL(t, s, a, "CREATE TABLE t(x)")
	if code := execSQL(t, s, a, "BEGIN IMMEDIATE"); code != 0 {
		t.Fatalf("begin = %d", code)
	}
	if code := execSQL(t, s, b, "INSERT INTO t VALUES (1)"); code != CodeBusy {
		t.Errorf("insert while locked = %d, want 5 (SQLITE_BUSY)", code)
	}
	execSQL(t, s, a, "COMMIT")
	execSQL(t, s, b, "PRAGMA query_only = 1")
	if code := execSQL(t, s, b, "INSERT INTO t VALUES (1)"); code != CodeReadOnly {
		t.Errorf("insert on query_only = %d, want 8 (SQLITE_READONLY)", code)
	}
}

func TestPrepareErrors(t *testing.T) {
	c := memConn(t)
	_, err := c.Prepare("select * from missing_table")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeError || e.Msg != "no such table: missing_table" {
		t.Errorf("Prepare = %v", err)
	}
	_, err = c.Prepare("select (")
	if !errors.As(err, &e) || e.Code != CodeError {
		t.Errorf("Prepare syntax error = %v", err)
	}
}

func TestBindErrors(t *testing.T) {
	c := memConn(t)
	st := prepare(t, c, "SELECT ?, ?")
	var e *Error
	for _, idx := range []int{0, 3, -1, 1 << 40} {
		if err := st.Bind(idx, Int(1)); !errors.As(err, &e) || e.Code != CodeRange {
			t.Errorf("Bind(%d) = %v, want SQLITE_RANGE", idx, err)
		}
	}
	ok(t, st.Bind(1, Int(1)), "bind 1")
	step(t, st, CodeRow)
	if err := st.Bind(1, Int(2)); !errors.As(err, &e) || e.Code != CodeMisuse {
		t.Errorf("Bind mid-iteration = %v, want SQLITE_MISUSE", err)
	}
	ok(t, st.Reset(), "reset")
	ok(t, st.Bind(1, Int(2)), "bind after reset")
	if err := st.Bind(1, Value{Kind: 9}); err == nil {
		t.Error("bind of an unknown kind succeeded")
	}
}

func TestEmptyStatement(t *testing.T) {
	c := memConn(t)
	for _, sql := range []string{"", "   ", "-- just a comment", "/* c */"} {
		st := prepare(t, c, sql)
		if n := st.ColumnCount(); n != 0 {
			t.Errorf("%q: column count %d", sql, n)
		}
		var e *Error
		if _, err := st.Step(); !errors.As(err, &e) || e.Code != CodeMisuse {
			t.Errorf("%q: Step = %v, want SQLITE_MISUSE (the ABI traps)", sql, err)
		}
		if err := st.Bind(1, Null()); !errors.As(err, &e) || e.Code != CodeMisuse {
			t.Errorf("%q: Bind = %v, want SQLITE_MISUSE", sql, err)
		}
		if _, err := st.ReadColumn(nil, 0); !errors.Is(err, ErrColumnRange) {
			t.Errorf("%q: ReadColumn = %v, want ErrColumnRange", sql, err)
		}
		ok(t, st.Reset(), "reset of an empty statement")
		ok(t, st.Finalize(), "finalize of an empty statement")
	}
}

func TestClosed(t *testing.T) {
	c, err := Open(":memory:", Options{})
	ok(t, err, "open")
	st := prepare(t, c, "SELECT 1")
	other := prepare(t, c, "SELECT 2")
	ok(t, other.Finalize(), "finalize")
	if err := other.Finalize(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Finalize = %v, want ErrClosed", err)
	}
	ok(t, c.Close(), "close")
	ok(t, c.Close(), "second close")
	if _, err := st.Step(); !errors.Is(err, ErrClosed) {
		t.Errorf("Step after Close = %v", err)
	}
	if err := c.Exec("select 1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Exec after Close = %v", err)
	}
	if _, err := c.Prepare("select 1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Prepare after Close = %v", err)
	}
	c.Interrupt() // must not crash on a closed connection
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	var e *Error
	if _, err := Open(dir+"/no/such/dir/x.db", Options{}); !errors.As(err, &e) || e.Primary() != 14 {
		t.Errorf("open in a missing directory = %v, want SQLITE_CANTOPEN (14)", err)
	}
	if _, err := Open(dir, Options{}); err == nil {
		t.Error("opening a directory as a database succeeded")
	}
	if _, err := Open("x\x00y", Options{}); err == nil {
		t.Error("open of a path with NUL succeeded")
	}
	if _, err := Open(":memory:", Options{JournalMode: "WAL; DROP TABLE x"}); err == nil {
		t.Error("bad journal mode accepted")
	}
	if _, err := Open(":memory:", Options{Synchronous: "sometimes"}); err == nil {
		t.Error("bad synchronous accepted")
	}
}

func TestInterrupt(t *testing.T) {
	c := memConn(t)
	st := prepare(t, c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT i FROM n")
	step(t, st, CodeRow) // the statement is now running
	c.Interrupt()
	var e *Error
	if _, err := st.Step(); !errors.As(err, &e) || e.Code != 9 {
		t.Fatalf("Step after Interrupt = %v, want SQLITE_INTERRUPT (9)", err)
	}
	ok(t, st.Finalize(), "finalize")
	ok(t, c.Exec("SELECT 1"), "the connection works after an interrupt")
}
