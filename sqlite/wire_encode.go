package sqlite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The encoders below write bincode 1.3 in its legacy configuration, which is
// what lunatic uses: little-endian fixed-width integers, u32 enum variant
// indexes, u64 lengths. See docs/abi/sqlite.md, "Wire format".

func appendU32(dst []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(dst, v) }
func appendU64(dst []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(dst, v) }

// appendBytes writes a Vec<u8> or String: u64 length, then the bytes.
func appendBytes(dst, b []byte) []byte {
	return append(appendU64(dst, uint64(len(b))), b...)
}

// AppendValue appends v encoded as a SqliteValue (host → guest): KindInteger
// and KindInt64 carry 8 bytes. A Kind outside the six defined encodes as Null.
func AppendValue(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindBlob, KindText:
		return appendBytes(appendU32(dst, uint32(v.Kind)), v.Bytes)
	case KindDouble:
		return appendU64(appendU32(dst, uint32(v.Kind)), math.Float64bits(v.Float))
	case KindInteger, KindInt64:
		return appendU64(appendU32(dst, uint32(v.Kind)), uint64(v.Int))
	}
	return appendU32(dst, uint32(KindNull))
}

// AppendRow appends vals encoded as a SqliteRow: u64 count, then each value.
func AppendRow(dst []byte, vals []Value) []byte {
	dst = appendU64(dst, uint64(len(vals)))
	for _, v := range vals {
		dst = AppendValue(dst, v)
	}
	return dst
}

// AppendStrings appends ss encoded as a Vec<String> (what column_names returns).
func AppendStrings(dst []byte, ss []string) []byte {
	dst = appendU64(dst, uint64(len(ss)))
	for _, s := range ss {
		dst = append(appendU64(dst, uint64(len(s))), s...)
	}
	return dst
}

// ErrorRecord is the host struct last_error returns:
// SqliteError{code: Option<u32>, message: Option<String>}.
type ErrorRecord struct {
	HasCode    bool
	Code       uint32
	HasMessage bool
	Message    string
}

// Record returns the ErrorRecord the ABI reports for e: its primary code and
// message, or the empty record (both None) for a nil e.
func (e *Error) Record() ErrorRecord {
	if e == nil {
		return ErrorRecord{}
	}
	return ErrorRecord{HasCode: true, Code: uint32(e.Primary()), HasMessage: true, Message: e.Msg}
}

// AppendErrorRecord appends r encoded as lunatic's SqliteError.
func AppendErrorRecord(dst []byte, r ErrorRecord) []byte {
	if r.HasCode {
		dst = appendU32(append(dst, 1), r.Code)
	} else {
		dst = append(dst, 0)
	}
	if r.HasMessage {
		return append(appendU64(append(dst, 1), uint64(len(r.Message))), r.Message...)
	}
	return append(dst, 0)
}

// AppendBindValue appends v encoded as a BindValue (guest → host). KindInteger
// is Int(i32) and fails when v.Int does not fit in 32 bits.
func AppendBindValue(dst []byte, v Value) ([]byte, error) {
	switch v.Kind {
	case KindInteger:
		if v.Int < math.MinInt32 || v.Int > math.MaxInt32 {
			return dst, fmt.Errorf("bind value Int(%d): does not fit in i32", v.Int)
		}
		return appendU32(appendU32(dst, uint32(v.Kind)), uint32(int32(v.Int))), nil
	case KindNull, KindBlob, KindText, KindDouble, KindInt64:
		return AppendValue(dst, v), nil
	}
	return dst, fmt.Errorf("bind value: unknown kind %v", v.Kind)
}

// AppendBindList appends pairs encoded as a BindList: u64 count, then each
// pair's key and value. It is what a guest sends to bind_value.
func AppendBindList(dst []byte, pairs []BindPair) ([]byte, error) {
	dst = appendU64(dst, uint64(len(pairs)))
	for i, p := range pairs {
		switch p.Key.Kind {
		case KeyNone:
			dst = appendU32(dst, uint32(KeyNone))
		case KeyNumeric:
			dst = appendU64(appendU32(dst, uint32(KeyNumeric)), p.Key.Index)
		case KeyName:
			dst = append(appendU64(appendU32(dst, uint32(KeyName)), uint64(len(p.Key.Name))), p.Key.Name...)
		default:
			return dst, fmt.Errorf("bind pair %d: unknown key kind %v", i, p.Key.Kind)
		}
		var err error
		if dst, err = AppendBindValue(dst, p.Value); err != nil {
			return dst, fmt.Errorf("bind pair %d: %w", i, err)
		}
	}
	return dst, nil
}
