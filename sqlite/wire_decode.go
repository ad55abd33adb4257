package sqlite

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"
)

// The decoders accept what bincode::deserialize accepts: trailing bytes are
// ignored; truncated input, unknown variant or option tags and strings that
// are not UTF-8 fail with ErrMalformed. Decoded Bytes alias the input.

// reader walks a byte slice; the first failure sticks in err.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: offset %d: %s", ErrMalformed, r.off, fmt.Sprintf(format, args...))
	}
}

// take returns the next n bytes, or nil after recording a failure.
func (r *reader) take(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)-r.off) {
		r.fail("%s: need %d bytes, %d left", what, n, len(r.b)-r.off)
		return nil
	}
	s := r.b[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return s
}

func (r *reader) u8(what string) byte {
	if b := r.take(1, what); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u32(what string) uint32 {
	if b := r.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64(what string) uint64 {
	if b := r.take(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// bytes reads a Vec<u8>: u64 length, then the bytes.
func (r *reader) bytes(what string) []byte {
	n := r.u64(what + " length")
	b := r.take(n, what)
	if b == nil && r.err == nil {
		b = []byte{}
	}
	return b
}

// str reads a String, which must be UTF-8.
func (r *reader) str(what string) []byte {
	start := r.off
	b := r.bytes(what)
	if r.err == nil && !utf8.Valid(b) {
		r.off = start
		r.fail("%s: not UTF-8", what)
	}
	return b
}

// option reads an Option tag: false for None (00), true for Some (01).
func (r *reader) option(what string) bool {
	switch t := r.u8(what); {
	case r.err != nil:
		return false
	case t <= 1:
		return t == 1
	default:
		r.off--
		r.fail("%s: option tag %d", what, t)
		return false
	}
}

// count reads a u64 element count and returns a safe capacity for it, given
// that each element takes at least minSize bytes.
func (r *reader) count(what string, minSize int) (n uint64, capHint int) {
	n = r.u64(what)
	left := uint64(len(r.b)-r.off) / uint64(minSize)
	return n, int(min(n, left))
}

// value reads a BindValue (bind is true: index 4 is i32) or a SqliteValue
// (index 4 is i64).
func (r *reader) value(bind bool) Value {
	start := r.off
	k := Kind(r.u32("value tag"))
	switch {
	case r.err != nil:
		return Value{}
	case k == KindNull:
		return Null()
	case k == KindBlob:
		return Value{Kind: k, Bytes: r.bytes("blob")}
	case k == KindText:
		return Value{Kind: k, Bytes: r.str("text")}
	case k == KindDouble:
		return Value{Kind: k, Float: math.Float64frombits(r.u64("double"))}
	case k == KindInteger && bind:
		return Value{Kind: k, Int: int64(int32(r.u32("int")))}
	case k == KindInteger, k == KindInt64:
		return Value{Kind: k, Int: int64(r.u64("integer"))}
	}
	r.off = start
	r.fail("unknown value variant %d", k)
	return Value{}
}

// key reads a BindKey.
func (r *reader) key() BindKey {
	start := r.off
	k := KeyKind(r.u32("key tag"))
	switch {
	case r.err != nil:
		return BindKey{}
	case k == KeyNone:
		return BindKey{Kind: k}
	case k == KeyNumeric:
		return BindKey{Kind: k, Index: r.u64("key index")}
	case k == KeyName:
		return BindKey{Kind: k, Name: string(r.str("key name"))}
	}
	r.off = start
	r.fail("unknown key variant %d", k)
	return BindKey{}
}

// DecodeBindList decodes a BindList, the argument of bind_value.
func DecodeBindList(b []byte) ([]BindPair, error) {
	r := &reader{b: b}
	n, c := r.count("pair count", 8)
	pairs := make([]BindPair, 0, c)
	for i := uint64(0); i < n && r.err == nil; i++ {
		p := BindPair{Key: r.key()}
		p.Value = r.value(true)
		pairs = append(pairs, p)
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode bind list: %w", r.err)
	}
	return pairs, nil
}

// DecodeValue decodes a SqliteValue, what read_column returns.
func DecodeValue(b []byte) (Value, error) {
	r := &reader{b: b}
	v := r.value(false)
	if r.err != nil {
		return Value{}, fmt.Errorf("decode value: %w", r.err)
	}
	return v, nil
}

// DecodeRow decodes a SqliteRow, what read_row returns.
func DecodeRow(b []byte) ([]Value, error) {
	r := &reader{b: b}
	n, c := r.count("column count", 4)
	row := make([]Value, 0, c)
	for i := uint64(0); i < n && r.err == nil; i++ {
		row = append(row, r.value(false))
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode row: %w", r.err)
	}
	return row, nil
}

// DecodeStrings decodes a Vec<String>, what column_names returns.
func DecodeStrings(b []byte) ([]string, error) {
	r := &reader{b: b}
	n, c := r.count("string count", 8)
	ss := make([]string, 0, c)
	for i := uint64(0); i < n && r.err == nil; i++ {
		ss = append(ss, string(r.str("string")))
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode strings: %w", r.err)
	}
	return ss, nil
}

// DecodeErrorRecord decodes lunatic's SqliteError, what last_error returns.
func DecodeErrorRecord(b []byte) (ErrorRecord, error) {
	r := &reader{b: b}
	var e ErrorRecord
	if e.HasCode = r.option("code"); e.HasCode {
		e.Code = r.u32("code")
	}
	if e.HasMessage = r.option("message"); e.HasMessage {
		e.Message = string(r.str("message"))
	}
	if r.err != nil {
		return ErrorRecord{}, fmt.Errorf("decode error record: %w", r.err)
	}
	return e, nil
}
