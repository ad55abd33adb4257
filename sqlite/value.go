package sqlite

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the wire variant index of a value: the u32 tag bincode writes for
// lunatic's BindValue (guest → host) and SqliteValue (host → guest). The two
// enums agree on every index; only the payload of index 4 differs.
type Kind uint32

// The value kinds, numbered as on the wire.
const (
	KindNull   Kind = 0 // Null
	KindBlob   Kind = 1 // Blob(Vec<u8>)
	KindText   Kind = 2 // Text(String)
	KindDouble Kind = 3 // Double(f64)
	// KindInteger is BindValue::Int(i32) (4-byte payload) in a bind list
	// and SqliteValue::Integer(i64) (8-byte payload) in results: the only
	// integer kind the host produces.
	KindInteger Kind = 4
	// KindInt64 is BindValue::Int64(i64) in a bind list and
	// SqliteValue::I64(i64) in results (decoded, never produced).
	KindInt64 Kind = 5
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "Null"
	case KindBlob:
		return "Blob"
	case KindText:
		return "Text"
	case KindDouble:
		return "Double"
	case KindInteger:
		return "Integer"
	case KindInt64:
		return "Int64"
	}
	return "Kind(" + strconv.FormatUint(uint64(k), 10) + ")"
}

// Value is one SQLite value in its wire form. Only the field of its Kind is
// meaningful. Values decoded from wire bytes alias those bytes.
type Value struct {
	Kind  Kind
	Int   int64   // KindInteger, KindInt64
	Float float64 // KindDouble
	Bytes []byte  // KindText (UTF-8), KindBlob
}

// Null returns the SQL NULL value.
func Null() Value { return Value{Kind: KindNull} }

// Blob returns a BLOB value; an empty or nil b is a zero-length blob, not NULL.
func Blob(b []byte) Value { return Value{Kind: KindBlob, Bytes: b} }

// Text returns a TEXT value.
func Text(s string) Value { return Value{Kind: KindText, Bytes: []byte(s)} }

// Double returns a REAL value.
func Double(f float64) Value { return Value{Kind: KindDouble, Float: f} }

// Int returns the bind value Int(i32), an INTEGER once bound.
func Int(i int32) Value { return Value{Kind: KindInteger, Int: int64(i)} }

// Integer returns the result value Integer(i64), what an INTEGER column reads as.
func Integer(i int64) Value { return Value{Kind: KindInteger, Int: i} }

// Int64 returns the bind value Int64(i64), an INTEGER once bound.
func Int64(i int64) Value { return Value{Kind: KindInt64, Int: i} }

// Text returns the bytes of a Text or Blob value as a string.
func (v Value) Text() string { return string(v.Bytes) }

// String formats the value for diagnostics.
func (v Value) String() string {
	switch v.Kind {
	case KindNull:
		return "Null"
	case KindBlob:
		return fmt.Sprintf("Blob(%x)", v.Bytes)
	case KindText:
		return fmt.Sprintf("Text(%q)", v.Bytes)
	case KindDouble:
		return fmt.Sprintf("Double(%v)", v.Float)
	case KindInteger, KindInt64:
		return fmt.Sprintf("%v(%d)", v.Kind, v.Int)
	}
	return v.Kind.String()
}

// Equal reports whether v and w are the same value. Doubles compare by bit
// pattern, so a NaN equals itself and 0.0 differs from -0.0.
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case KindBlob, KindText:
		return string(v.Bytes) == string(w.Bytes)
	case KindDouble:
		return math.Float64bits(v.Float) == math.Float64bits(w.Float)
	case KindInteger, KindInt64:
		return v.Int == w.Int
	}
	return true
}
