package sqlite

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// roundTrip binds v through the wire format (a guest's bind_value bytes),
// stores it in a table, reads it back and returns SQLite's typeof(), the exact
// column value and the value as the ABI's read_column encodes it.
func roundTrip(t *testing.T, s *Session, conn uint64, v Value) (string, Value, Value) {
	t.Helper()
	if code, err := s.Execute(conn, []byte("DELETE FROM t")); code != 0 || err != nil {
		t.Fatalf("delete: %d %v", code, err)
	}
	ins, err := s.Prepare(conn, []byte("INSERT INTO t(v) VALUES (?)"))
	ok(t, err, "prepare insert")
	list, err := AppendBindList(nil, []BindPair{At(1, v)})
	ok(t, err, "encode bind list")
	ok(t, s.BindValue(ins, list), "bind_value")
	if rc, err := s.Step(ins); rc != CodeDone || err != nil {
		t.Fatalf("insert step = %d, %v", rc, err)
	}
	ok(t, s.Finalize(ins), "finalize insert")

	sel, err := s.Prepare(conn, []byte("SELECT typeof(v), v FROM t"))
	ok(t, err, "prepare select")
	defer s.Finalize(sel)
	if rc, err := s.Step(sel); rc != CodeRow || err != nil {
		t.Fatalf("select step = %d, %v", rc, err)
	}
	st, _ := s.Stmt(sel)
	typ, err := st.Column(0)
	ok(t, err, "column 0")
	exact, err := st.Column(1)
	ok(t, err, "column 1")
	b, err := s.ReadColumn(nil, sel, 1)
	ok(t, err, "read_column")
	abi, err := DecodeValue(b)
	ok(t, err, "decode read_column bytes")
	// read_row must agree with read_column.
	rowBytes, err := s.ReadRow(nil, sel)
	ok(t, err, "read_row")
	row, err := DecodeRow(rowBytes)
	ok(t, err, "decode read_row bytes")
	if len(row) != 2 || !row[1].Equal(abi) {
		t.Errorf("read_row = %v, read_column = %v", row, abi)
	}
	return typ.Text(), exact, abi
}

func TestRoundTrip(t *testing.T) {
	s := NewSession(Options{})
	t.Cleanup(func() { s.Close() })
	conn, err := s.Open(":memory:")
	ok(t, err, "open")
	if code, err := s.Execute(conn, []byte("CREATE TABLE t(v)")); code != 0 || err != nil {
		t.Fatalf("create: %d %v", code, err)
	}
	big := bytes.Repeat([]byte{0, 1, 2, 0xFE, 0xFF}, 1<<18)
	tests := []struct {
		name string
		in   Value
		typ  string
		out  Value // exact and ABI read unless abi is set
		abi  *Value
	}{
		{"null", Null(), "null", Null(), nil},
		{"int zero", Int(0), "integer", Integer(0), nil},
		{"int min", Int(math.MinInt32), "integer", Integer(math.MinInt32), nil},
		{"int max", Int(math.MaxInt32), "integer", Integer(math.MaxInt32), nil},
		{"int64 min", Int64(math.MinInt64), "integer", Integer(math.MinInt64), nil},
		{"int64 max", Int64(math.MaxInt64), "integer", Integer(math.MaxInt64), nil},
		{"int64 minus one", Int64(-1), "integer", Integer(-1), nil},
		{"double", Double(1.5), "real", Double(1.5), nil},
		{"double negative zero", Double(math.Copysign(0, -1)), "real", Double(math.Copysign(0, -1)), nil},
		{"double max", Double(math.MaxFloat64), "real", Double(math.MaxFloat64), nil},
		{"double smallest", Double(math.SmallestNonzeroFloat64), "real", Double(math.SmallestNonzeroFloat64), nil},
		{"double +inf", Double(math.Inf(1)), "real", Double(math.Inf(1)), nil},
		{"double -inf", Double(math.Inf(-1)), "real", Double(math.Inf(-1)), nil},
		// SQLite stores a NaN as NULL.
		{"double NaN", Double(math.NaN()), "null", Null(), nil},
		{"text empty", Text(""), "text", Text(""), nil},
		{"text ascii", Text("Foo!"), "text", Text("Foo!"), nil},
		{"text non-ASCII", Text("héllo wörld ✓ 日本語 🎉"), "text", Text("héllo wörld ✓ 日本語 🎉"), nil},
		// The ABI reads TEXT as a C string: it stops at the first NUL.
		{"text embedded NUL", Text("a\x00b\x00c"), "text", Text("a\x00b\x00c"), &Value{Kind: KindText, Bytes: []byte("a")}},
		{"text leading NUL", Text("\x00xyz"), "text", Text("\x00xyz"), &Value{Kind: KindText, Bytes: []byte{}}},
		{"text long", Text(strings.Repeat("ü", 100000)), "text", Text(strings.Repeat("ü", 100000)), nil},
		{"blob empty", Blob(nil), "blob", Blob(nil), nil},
		{"blob bytes", Blob([]byte{0, 1, 0xFF, 0}), "blob", Blob([]byte{0, 1, 0xFF, 0}), nil},
		{"blob 1.25 MiB", Blob(big), "blob", Blob(big), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, exact, abi := roundTrip(t, s, conn, tt.in)
			if typ != tt.typ {
				t.Errorf("typeof = %q, want %q", typ, tt.typ)
			}
			if !exact.Equal(tt.out) {
				t.Errorf("Column = %v, want %v", short(exact), short(tt.out))
			}
			want := tt.out
			if tt.abi != nil {
				want = *tt.abi
			}
			if !abi.Equal(want) {
				t.Errorf("read_column = %v, want %v", short(abi), short(want))
			}
			if abi.Kind == KindInt64 {
				t.Error("read_column produced variant 5; the host only emits Integer (4)")
			}
		})
	}
}

// short abbreviates large values in failure messages.
func short(v Value) string {
	s := v.String()
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func TestSelectParamRoundTrip(t *testing.T) {
	c := memConn(t)
	st := prepare(t, c, "SELECT ?, ?, ?, ?, ?, ?")
	in := []Value{Null(), Int(-7), Int64(1 << 40), Double(-2.25), Text("ñ"), Blob([]byte{})}
	want := []Value{Null(), Integer(-7), Integer(1 << 40), Double(-2.25), Text("ñ"), Blob([]byte{})}
	for i, v := range in {
		ok(t, st.Bind(i+1, v), "bind")
	}
	step(t, st, CodeRow)
	b, err := st.ReadRow(nil)
	ok(t, err, "read row")
	got, err := DecodeRow(b)
	ok(t, err, "decode row")
	if !valuesEqual(got, want) {
		t.Errorf("row = %v, want %v", got, want)
	}
	step(t, st, CodeDone)
}

func TestReadTextLossyUTF8(t *testing.T) {
	c := memConn(t)
	// CAST of a blob to TEXT stores bytes that are not UTF-8.
	st := prepare(t, c, "SELECT CAST(X'61FF62E282' AS TEXT)")
	step(t, st, CodeRow)
	exact, err := st.Column(0)
	ok(t, err, "column")
	if want := "a\xffb\xe2\x82"; exact.Text() != want {
		t.Errorf("Column = %q, want %q", exact.Text(), want)
	}
	b, err := st.ReadColumn(nil, 0)
	ok(t, err, "read column")
	v, err := DecodeValue(b) // the decoder refuses non-UTF-8, so this also checks validity
	ok(t, err, "decode")
	if want := "a\uFFFDb\uFFFD"; v.Text() != want {
		t.Errorf("read_column = %q, want %q", v.Text(), want)
	}
}
