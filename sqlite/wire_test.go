package sqlite

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// The worked byte examples of docs/abi/sqlite.md ("Worked examples"), checked in both
// directions.

func TestBindListVectors(t *testing.T) {
	tests := []struct {
		name  string
		pairs []BindPair
		hex   string
	}{
		{"1 empty list", []BindPair{}, `00 00 00 00 00 00 00 00`},
		{"2 numeric text", []BindPair{At(1, Text("Foo!"))}, `
			01 00 00 00 00 00 00 00
			01 00 00 00  01 00 00 00 00 00 00 00
			02 00 00 00  04 00 00 00 00 00 00 00  46 6F 6F 21`},
		{"3 named int", []BindPair{Named(":model_name", Int(996))}, `
			01 00 00 00 00 00 00 00
			02 00 00 00  0B 00 00 00 00 00 00 00  3A 6D 6F 64 65 6C 5F 6E 61 6D 65
			04 00 00 00  E4 03 00 00`},
		{"4 two numeric", []BindPair{At(1, Int64(-2)), At(2, Null())}, `
			02 00 00 00 00 00 00 00
			01 00 00 00  01 00 00 00 00 00 00 00  05 00 00 00  FE FF FF FF FF FF FF FF
			01 00 00 00  02 00 00 00 00 00 00 00  00 00 00 00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, tt.hex)
			got, err := AppendBindList(nil, tt.pairs)
			ok(t, err, "encode")
			if !bytes.Equal(got, want) {
				t.Errorf("encode:\n got % x\nwant % x", got, want)
			}
			dec, err := DecodeBindList(want)
			ok(t, err, "decode")
			if !pairsEqual(dec, tt.pairs) {
				t.Errorf("decode = %v, want %v", dec, tt.pairs)
			}
		})
	}
}

func TestResultVectors(t *testing.T) {
	t.Run("5 row Hello", func(t *testing.T) {
		checkRow(t, []Value{Text("Hello")}, `01 00 00 00 00 00 00 00  02 00 00 00  05 00 00 00 00 00 00 00  48 65 6C 6C 6F`)
	})
	t.Run("6 row of four", func(t *testing.T) {
		checkRow(t, []Value{Integer(42), Null(), Double(1.5), Blob([]byte{0xDE, 0xAD})}, `
			04 00 00 00 00 00 00 00
			04 00 00 00  2A 00 00 00 00 00 00 00
			00 00 00 00
			03 00 00 00  00 00 00 00 00 00 F8 3F
			01 00 00 00  02 00 00 00 00 00 00 00  DE AD`)
	})
	t.Run("7 column integer 7", func(t *testing.T) {
		want := unhex(t, `04 00 00 00  07 00 00 00 00 00 00 00`)
		if got := AppendValue(nil, Integer(7)); !bytes.Equal(got, want) {
			t.Errorf("encode: got % x want % x", got, want)
		}
		v, err := DecodeValue(want)
		ok(t, err, "decode")
		if !v.Equal(Integer(7)) {
			t.Errorf("decode = %v", v)
		}
	})
	t.Run("8 column names", func(t *testing.T) {
		want := unhex(t, `02 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00 61  01 00 00 00 00 00 00 00 62`)
		if got := AppendStrings(nil, []string{"a", "b"}); !bytes.Equal(got, want) {
			t.Errorf("encode: got % x want % x", got, want)
		}
		ss, err := DecodeStrings(want)
		ok(t, err, "decode")
		if !reflect.DeepEqual(ss, []string{"a", "b"}) {
			t.Errorf("decode = %q", ss)
		}
	})
	t.Run("10 last error", func(t *testing.T) {
		rec := ErrorRecord{HasCode: true, Code: 1, HasMessage: true, Message: "no such table: foo"}
		checkRecord(t, rec, `01  01 00 00 00  01  12 00 00 00 00 00 00 00
			6E 6F 20 73 75 63 68 20 74 61 62 6C 65 3A 20 66 6F 6F`)
	})
	t.Run("11 no error", func(t *testing.T) {
		checkRecord(t, ErrorRecord{}, `00 00`)
	})
}

func checkRow(t *testing.T, row []Value, hexText string) {
	t.Helper()
	want := unhex(t, hexText)
	if got := AppendRow(nil, row); !bytes.Equal(got, want) {
		t.Errorf("encode:\n got % x\nwant % x", got, want)
	}
	dec, err := DecodeRow(want)
	ok(t, err, "decode")
	if !valuesEqual(dec, row) {
		t.Errorf("decode = %v, want %v", dec, row)
	}
}

func checkRecord(t *testing.T, rec ErrorRecord, hexText string) {
	t.Helper()
	want := unhex(t, hexText)
	if got := AppendErrorRecord(nil, rec); !bytes.Equal(got, want) {
		t.Errorf("encode:\n got % x\nwant % x", got, want)
	}
	dec, err := DecodeErrorRecord(want)
	ok(t, err, "decode")
	if dec != rec {
		t.Errorf("decode = %+v, want %+v", dec, rec)
	}
}

func TestErrorRecordFromError(t *testing.T) {
	e := &Error{Code: 2067, Msg: "UNIQUE constraint failed: t.x"}
	want := ErrorRecord{HasCode: true, Code: 19, HasMessage: true, Message: e.Msg}
	if got := e.Record(); got != want {
		t.Errorf("Record = %+v, want %+v (primary code)", got, want)
	}
	if got := (*Error)(nil).Record(); got != (ErrorRecord{}) {
		t.Errorf("nil Record = %+v", got)
	}
}

func TestDecodeAcceptsTrailingBytes(t *testing.T) {
	b := append(unhex(t, `01 00 00 00 00 00 00 00  00 00 00 00  00 00 00 00`), 0xAA, 0xBB)
	pairs, err := DecodeBindList(b)
	ok(t, err, "decode")
	if len(pairs) != 1 || pairs[0].Key.Kind != KeyNone || pairs[0].Value.Kind != KindNull {
		t.Fatalf("decode = %v", pairs)
	}
	if _, err := DecodeValue(unhex(t, `00 00 00 00 FF`)); err != nil {
		t.Errorf("value with trailing byte: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name string
		dec  func([]byte) error
		hex  string
	}{
		{"empty input", bindList, ``},
		{"short count", bindList, `01 00 00`},
		{"count without pairs", bindList, `01 00 00 00 00 00 00 00`},
		{"huge count", bindList, `FF FF FF FF FF FF FF FF  00 00 00 00 00 00 00 00`},
		{"key tag 3", bindList, `01 00 00 00 00 00 00 00  03 00 00 00  00 00 00 00`},
		{"key tag as one byte", bindList, `01 00 00 00 00 00 00 00  01 01 00 00 00 00 00 00 00  00 00 00 00`},
		{"value tag 6", bindList, `01 00 00 00 00 00 00 00  00 00 00 00  06 00 00 00`},
		{"short int", bindList, `01 00 00 00 00 00 00 00  00 00 00 00  04 00 00 00  01 02`},
		{"text past end", bindList, `01 00 00 00 00 00 00 00  00 00 00 00  02 00 00 00  05 00 00 00 00 00 00 00  41`},
		{"text length 2^64-1", bindList, `01 00 00 00 00 00 00 00  00 00 00 00  02 00 00 00  FF FF FF FF FF FF FF FF`},
		{"text not UTF-8", bindList, `01 00 00 00 00 00 00 00  00 00 00 00  02 00 00 00  01 00 00 00 00 00 00 00  FF`},
		{"name not UTF-8", bindList, `01 00 00 00 00 00 00 00  02 00 00 00  01 00 00 00 00 00 00 00  C3  00 00 00 00`},
		{"value tag 6", value, `06 00 00 00`},
		{"row truncated", row, `02 00 00 00 00 00 00 00  00 00 00 00`},
		{"strings not UTF-8", strs, `01 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00  80`},
		{"option tag 2", record, `02 00`},
		{"message option tag 2", record, `00 02`},
		{"record truncated", record, `01 01 00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.dec(unhex(t, tt.hex))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func bindList(b []byte) error { _, err := DecodeBindList(b); return err }
func value(b []byte) error    { _, err := DecodeValue(b); return err }
func row(b []byte) error      { _, err := DecodeRow(b); return err }
func strs(b []byte) error     { _, err := DecodeStrings(b); return err }
func record(b []byte) error   { _, err := DecodeErrorRecord(b); return err }

func TestBindValueEncoding(t *testing.T) {
	if _, err := AppendBindValue(nil, Integer(1<<31)); err == nil {
		t.Error("Int(2^31) encoded; want an error: bind variant 4 is i32")
	}
	b, err := AppendBindValue(nil, Int(-1))
	ok(t, err, "Int(-1)")
	if want := unhex(t, `04 00 00 00 FF FF FF FF`); !bytes.Equal(b, want) {
		t.Errorf("Int(-1) = % x, want % x", b, want)
	}
	pairs, err := DecodeBindList(unhex(t, `01 00 00 00 00 00 00 00  00 00 00 00  04 00 00 00  FF FF FF FF`))
	ok(t, err, "decode Int(-1)")
	if pairs[0].Value.Int != -1 {
		t.Errorf("Int(-1) decodes as %d: must sign-extend", pairs[0].Value.Int)
	}
	// The result side reads variant 4 as i64 and accepts variant 5 (I64).
	v, err := DecodeValue(unhex(t, `05 00 00 00  FF FF FF FF FF FF FF 7F`))
	ok(t, err, "decode I64")
	if v.Kind != KindInt64 || v.Int != 1<<63-1 {
		t.Errorf("I64 decodes as %v", v)
	}
}

func TestEmptyValuesEncoding(t *testing.T) {
	want := unhex(t, `02 00 00 00 00 00 00 00  01 00 00 00  00 00 00 00 00 00 00 00  02 00 00 00  00 00 00 00 00 00 00 00`)
	got := AppendRow(nil, []Value{Blob(nil), Text("")})
	if !bytes.Equal(got, want) {
		t.Errorf("empty blob and text: got % x want % x", got, want)
	}
}

func pairsEqual(a, b []BindPair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || !a[i].Value.Equal(b[i].Value) {
			return false
		}
	}
	return true
}

func valuesEqual(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
