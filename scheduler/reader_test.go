package scheduler

import (
	"errors"
	"testing"
)

// TestLEB128 checks the strict decoding of LEB128 integers: bounded length,
// unused bits of the last byte zero (unsigned) or equal to the sign (signed).
func TestLEB128(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		bits int // 0 for u32
		want int64
		ok   bool
	}{
		{"u32 0", []byte{0x00}, 0, 0, true},
		{"u32 127", []byte{0x7f}, 0, 127, true},
		{"u32 128", []byte{0x80, 0x01}, 0, 128, true},
		{"u32 padded 0", []byte{0x80, 0x80, 0x80, 0x80, 0x00}, 0, 0, true},
		{"u32 max", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0, 0xffffffff, true},
		{"u32 unused bits set", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 0, 0, false},
		{"u32 six bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, 0, false},
		{"u32 truncated", []byte{0x80}, 0, 0, false},
		{"s32 -1", []byte{0x7f}, 32, -1, true},
		{"s32 -64", []byte{0x40}, 32, -64, true},
		{"s32 63", []byte{0x3f}, 32, 63, true},
		{"s32 64", []byte{0xc0, 0x00}, 32, 64, true},
		{"s32 -65", []byte{0xbf, 0x7f}, 32, -65, true},
		{"s32 min", []byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, -1 << 31, true},
		{"s32 max", []byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, 1<<31 - 1, true},
		{"s32 too large", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, 0, false},
		{"s32 bad sign bits", []byte{0x80, 0x80, 0x80, 0x80, 0x70}, 32, 0, false},
		{"s33 max type index", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, 1<<32 - 1, true},
		{"s33 too large", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 33, 0, false},
		{"s64 min", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, -1 << 63, true},
		{"s64 max", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, 1<<63 - 1, true},
		{"s64 bad last byte", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, 0, false},
		{"s64 eleven bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReader(tc.in, 0)
			var got int64
			if tc.bits == 0 {
				got = int64(r.u32())
			} else {
				got = r.signed(tc.bits)
			}
			if ok := r.err == nil && r.pos == len(tc.in); ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("got %d (err %v, read %d of %d), want %d ok=%v", got, r.err, r.pos, len(tc.in), tc.want, tc.ok)
			}
			if tc.bits == 64 && tc.ok {
				if enc := appendS64(nil, tc.want); int64(len(enc)) > int64(len(tc.in)) {
					t.Errorf("appendS64(%d) = % x, longer than % x", tc.want, enc, tc.in)
				}
			}
		})
	}
}

func TestCount(t *testing.T) {
	r := newReader([]byte{0x03, 0x00, 0x00}, 0)
	if n := r.count(); r.err == nil {
		t.Errorf("count 3 with 2 bytes left accepted (%d)", n)
	} else if !errors.Is(r.err, errCount) {
		t.Errorf("error %v, want %v", r.err, errCount)
	}
}
