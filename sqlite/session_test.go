package sqlite

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// bindWire encodes pairs and binds them through Session.BindValue.
func bindWire(t *testing.T, s *Session, st uint64, pairs ...BindPair) error {
	t.Helper()
	b, err := AppendBindList(nil, pairs)
	ok(t, err, "encode bind list")
	return s.BindValue(st, b)
}

// rows steps st to the end and returns the decoded read_row results.
func rows(t *testing.T, s *Session, st uint64) [][]Value {
	t.Helper()
	var out [][]Value
	for {
		rc, err := s.Step(st)
		ok(t, err, "step")
		if rc == CodeDone {
			return out
		}
		b, err := s.ReadRow(nil, st)
		ok(t, err, "read_row")
		r, err := DecodeRow(b)
		ok(t, err, "decode row")
		out = append(out, r)
	}
}

func TestSessionIDs(t *testing.T) {
	s := NewSession(Options{})
	defer s.Close()
	for want := uint64(0); want < 3; want++ {
		id, err := s.Open(":memory:")
		ok(t, err, "open")
		if id != want {
			t.Fatalf("connection id = %d, want %d", id, want)
		}
	}
	for want := uint64(0); want < 3; want++ {
		id, err := s.Prepare(want, []byte("SELECT 1"))
		ok(t, err, "prepare")
		if id != want {
			t.Fatalf("statement id = %d, want %d", id, want)
		}
	}
	ok(t, s.Finalize(2), "finalize")
	id, err := s.Prepare(0, []byte("SELECT 1"))
	ok(t, err, "prepare")
	if id != 3 {
		t.Errorf("statement id after a finalize = %d, want 3 (ids are never reused)", id)
	}
}

func TestSessionUnknownIDs(t *testing.T) {
	s, conn := newSession(t, Options{})
	st, err := s.Prepare(conn, []byte("SELECT 1"))
	ok(t, err, "prepare")
	noConn := []error{
		func() error { _, err := s.Execute(7, []byte("select 1")); return err }(),
		func() error { _, err := s.Prepare(7, []byte("select 1")); return err }(),
		func() error { _, err := s.Changes(7); return err }(),
		func() error { _, err := s.LastError(nil, 7); return err }(),
	}
	for i, err := range noConn {
		if !errors.Is(err, ErrNoConnection) {
			t.Errorf("connection call %d: %v, want ErrNoConnection", i, err)
		}
	}
	bad := st + 1
	noStmt := []error{
		s.BindValue(bad, []byte{0, 0, 0, 0, 0, 0, 0, 0}),
		func() error { _, err := s.Step(bad); return err }(),
		s.Reset(bad),
		func() error { _, err := s.ColumnCount(bad); return err }(),
		func() error { _, err := s.ReadColumn(nil, bad, 0); return err }(),
		func() error { _, err := s.ReadRow(nil, bad); return err }(),
		func() error { _, err := s.ColumnNames(nil, bad); return err }(),
		func() error { _, err := s.ColumnName(nil, bad, 0); return err }(),
		s.Finalize(bad),
	}
	for i, err := range noStmt {
		if !errors.Is(err, ErrNoStatement) {
			t.Errorf("statement call %d: %v, want ErrNoStatement", i, err)
		}
	}
	ok(t, s.Finalize(st), "finalize")
	if err := s.Finalize(st); !errors.Is(err, ErrNoStatement) {
		t.Errorf("double finalize = %v, want ErrNoStatement", err)
	}
}

func TestSessionQueryFlow(t *testing.T) {
	// lunatic-rs's Query::query: prepare, bind the empty list, step/read_row
	// until done, finalize.
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, `CREATE TABLE m(id INTEGER PRIMARY KEY, name TEXT);
		INSERT INTO m(name) VALUES ('a'), ('b'), ('c')`)
	if n, _ := s.Changes(conn); n != 3 {
		t.Errorf("changes = %d, want 3", n)
	}
	st, err := s.Prepare(conn, []byte("SELECT id, name FROM m ORDER BY id"))
	ok(t, err, "prepare")
	ok(t, s.BindValue(st, unhex(t, `00 00 00 00 00 00 00 00`)), "bind empty list")
	got := rows(t, s, st)
	want := [][]Value{{Integer(1), Text("a")}, {Integer(2), Text("b")}, {Integer(3), Text("c")}}
	if len(got) != 3 {
		t.Fatalf("rows = %v", got)
	}
	for i := range want {
		if !valuesEqual(got[i], want[i]) {
			t.Errorf("row %d = %v, want %v", i, got[i], want[i])
		}
	}
	// Stepping after DONE runs the statement again from the start.
	if again := rows(t, s, st); len(again) != 3 {
		t.Errorf("re-run after DONE gave %d rows, want 3", len(again))
	}
	ok(t, s.Finalize(st), "finalize")
}

func TestSessionColumns(t *testing.T) {
	s, conn := newSession(t, Options{})
	st, err := s.Prepare(conn, []byte("SELECT 1 AS a, 2 AS b"))
	ok(t, err, "prepare")
	if n, _ := s.ColumnCount(st); n != 2 {
		t.Errorf("column_count = %d", n)
	}
	names, err := s.ColumnNames(nil, st)
	ok(t, err, "column_names")
	if want := unhex(t, `02 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00 61  01 00 00 00 00 00 00 00 62`); !bytes.Equal(names, want) {
		t.Errorf("column_names = % x, want % x", names, want)
	}
	name, err := s.ColumnName(nil, st, 0)
	ok(t, err, "column_name")
	if !bytes.Equal(name, []byte{0x61}) {
		t.Errorf("column_name = % x, want 61 (raw bytes, no bincode)", name)
	}
	if _, err := s.ColumnName(nil, st, 2); !errors.Is(err, ErrColumnRange) {
		t.Errorf("column_name(2) = %v, want ErrColumnRange", err)
	}
	// Before the first step every column reads as Null.
	b, err := s.ReadColumn(nil, st, 1)
	ok(t, err, "read_column before step")
	if !bytes.Equal(b, []byte{0, 0, 0, 0}) {
		t.Errorf("read_column before step = % x, want Null", b)
	}
	if rc, _ := s.Step(st); rc != CodeRow {
		t.Fatal("no row")
	}
	b, err = s.ReadColumn(nil, st, 1)
	ok(t, err, "read_column")
	if want := unhex(t, `04 00 00 00  02 00 00 00 00 00 00 00`); !bytes.Equal(b, want) {
		t.Errorf("read_column = % x, want % x", b, want)
	}
	if _, err := s.ReadColumn(nil, st, 2); !errors.Is(err, ErrColumnRange) {
		t.Errorf("read_column(2) = %v, want ErrColumnRange", err)
	}
	// Appending keeps what dst held.
	b, _ = s.ColumnName([]byte("x:"), st, 1)
	if string(b) != "x:b" {
		t.Errorf("append to dst = %q", b)
	}
}

func TestColumnNamesCapturedAtPrepare(t *testing.T) {
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, "CREATE TABLE t(a); INSERT INTO t VALUES (1)")
	st, err := s.Prepare(conn, []byte("SELECT * FROM t"))
	ok(t, err, "prepare")
	execSQL(t, s, conn, "ALTER TABLE t ADD COLUMN b")
	got := rows(t, s, st)
	if len(got) != 1 || len(got[0]) != 1 {
		t.Errorf("rows = %v, want one column as captured at prepare", got)
	}
	b, _ := s.ColumnNames(nil, st)
	if names, _ := DecodeStrings(b); !reflect.DeepEqual(names, []string{"a"}) {
		t.Errorf("column_names = %q", names)
	}
}

func TestSessionBindKeys(t *testing.T) {
	s, conn := newSession(t, Options{})
	st, err := s.Prepare(conn, []byte("SELECT :a, :b"))
	ok(t, err, "prepare")
	// lunatic ignores the name: ":b" lands on parameter 1 (:a).
	ok(t, bindWire(t, s, st, Named(":b", Int(5))), "bind named")
	got := rows(t, s, st)
	if !valuesEqual(got[0], []Value{Integer(5), Null()}) {
		t.Errorf("named bind row = %v, want [5 NULL]", got[0])
	}
	// A finished statement must be reset before binding again.
	if err := bindWire(t, s, st, At(1, Int(1))); err == nil {
		t.Error("bind after DONE without reset succeeded; SQLite refuses it (misuse)")
	}
	ok(t, s.Reset(st), "reset")
	// A None key binds parameter 1 too; bindings survive reset.
	ok(t, bindWire(t, s, st, BindPair{Value: Text("n")}, At(2, Double(0.5))), "bind none + numeric")
	ok(t, s.Reset(st), "reset")
	got = rows(t, s, st)
	if !valuesEqual(got[0], []Value{Text("n"), Double(0.5)}) {
		t.Errorf("row = %v", got[0])
	}
	// A failing pair stops the list; the pairs before it stay bound.
	ok(t, s.Reset(st), "reset")
	if err := bindWire(t, s, st, At(1, Int(9)), At(3, Int(10)), At(2, Int(11))); err == nil {
		t.Fatal("binding parameter 3 of 2 succeeded; want an error (trap)")
	}
	got = rows(t, s, st)
	if !valuesEqual(got[0], []Value{Integer(9), Double(0.5)}) {
		t.Errorf("row after failed list = %v, want [9 0.5]", got[0])
	}
	// Bytes that do not decode bind nothing.
	ok(t, s.Reset(st), "reset")
	if err := s.BindValue(st, unhex(t, `02 00 00 00 00 00 00 00  01 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00`)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("truncated list = %v, want ErrMalformed", err)
	}
	got = rows(t, s, st)
	if !valuesEqual(got[0], []Value{Integer(9), Double(0.5)}) {
		t.Errorf("row after malformed list = %v, want [9 0.5]", got[0])
	}
}

func TestSessionPrepareFirstStatementOnly(t *testing.T) {
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, "CREATE TABLE t(x)")
	st, err := s.Prepare(conn, []byte("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)"))
	ok(t, err, "prepare")
	rows(t, s, st)
	if n, _ := s.Changes(conn); n != 1 {
		t.Errorf("changes = %d, want 1", n)
	}
	q, _ := s.Prepare(conn, []byte("SELECT count(*) FROM t"))
	if got := rows(t, s, q); got[0][0].Int != 1 {
		t.Errorf("count = %v, want 1: only the first statement runs", got[0][0])
	}
}

func TestSessionUTF8(t *testing.T) {
	s, conn := newSession(t, Options{})
	if _, err := s.Execute(conn, []byte("select '\xff'")); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("execute = %v, want ErrNotUTF8", err)
	}
	if _, err := s.Prepare(conn, []byte("select '\xff'")); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("prepare = %v, want ErrNotUTF8", err)
	}
}

func TestSessionStatementsShareConnection(t *testing.T) {
	s, conn := newSession(t, Options{})
	execSQL(t, s, conn, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)")
	a, _ := s.Prepare(conn, []byte("SELECT x FROM t ORDER BY x"))
	b, _ := s.Prepare(conn, []byte("SELECT x * 10 FROM t ORDER BY x"))
	var got []int64
	for range 3 {
		for _, st := range []uint64{a, b} {
			if rc, err := s.Step(st); rc != CodeRow || err != nil {
				t.Fatalf("step = %d %v", rc, err)
			}
			v, _ := s.ReadColumn(nil, st, 0)
			d, _ := DecodeValue(v)
			got = append(got, d.Int)
		}
	}
	if want := []int64{1, 10, 2, 20, 3, 30}; !reflect.DeepEqual(got, want) {
		t.Errorf("interleaved = %v, want %v", got, want)
	}
}

func TestSessionClose(t *testing.T) {
	s := NewSession(Options{})
	conn, err := s.Open(":memory:")
	ok(t, err, "open")
	st, err := s.Prepare(conn, []byte("SELECT 1"))
	ok(t, err, "prepare")
	ok(t, s.Close(), "close")
	ok(t, s.Close(), "second close")
	if _, err := s.Step(st); !errors.Is(err, ErrNoStatement) {
		t.Errorf("step after close = %v", err)
	}
	if _, err := s.Open(":memory:"); !errors.Is(err, ErrClosed) {
		t.Errorf("open after close = %v, want ErrClosed", err)
	}
}
