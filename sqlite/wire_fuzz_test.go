package sqlite

import (
	"testing"
)

// FuzzWireDecode feeds arbitrary bytes (guest memory: bind_value's argument, and what the
// other decoders read) to every decoder of the sqlite wire format. None may panic or
// allocate from an unchecked count; a bind list or row that decodes re-encodes to bytes
// that decode to the same values.
func FuzzWireDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 8))
	list, _ := AppendBindList(nil, []BindPair{At(1, Text("Foo!")), Named(":x", Int64(-7)), At(2, Blob([]byte{1, 2}))})
	f.Add(list)
	f.Add(AppendRow(nil, []Value{Null(), Double(1.5), Text("t")}))
	f.Add(AppendStrings(nil, []string{"a", "bc"}))
	f.Add(AppendErrorRecord(nil, ErrorRecord{HasCode: true, Code: 1, HasMessage: true, Message: "m"}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, b []byte) {
		if pairs, err := DecodeBindList(b); err == nil {
			enc, err := AppendBindList(nil, pairs)
			if err != nil {
				t.Fatalf("a decoded bind list does not encode: %v", err)
			}
			back, err := DecodeBindList(enc)
			if err != nil || !pairsEqual(back, pairs) {
				t.Fatalf("bind list round trip: %v, %v → %v", err, pairs, back)
			}
		}
		if row, err := DecodeRow(b); err == nil {
			back, err := DecodeRow(AppendRow(nil, row))
			if err != nil || !valuesEqual(back, row) {
				t.Fatalf("row round trip: %v, %v → %v", err, row, back)
			}
		}
		_, _ = DecodeValue(b)
		_, _ = DecodeStrings(b)
		_, _ = DecodeErrorRecord(b)
	})
}
