package scheduler

import (
	"errors"
	"fmt"
)

// errEOF is reported when a read runs past the end of its buffer.
var errEOF = errors.New("unexpected end of input")

// reader decodes the wasm binary format from a byte slice. Errors are sticky:
// after the first failure every read returns a zero value and err keeps the
// first error, so decoders can read several fields and check once. Loops over
// counts read from the input must still test err (or done) on each turn.
type reader struct {
	buf  []byte
	pos  int
	base int // offset of buf[0] inside the whole module, for error messages
	err  error
}

func newReader(buf []byte, base int) *reader {
	return &reader{buf: buf, base: base}
}

// offset is the absolute module offset of the next byte to read.
func (r *reader) offset() int { return r.base + r.pos }

// done reports whether the buffer is exhausted or an error occurred.
func (r *reader) done() bool { return r.err != nil || r.pos >= len(r.buf) }

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format+" at offset %d", append(args, r.offset())...)
	}
}

// failAt records an error located at the absolute module offset off.
func (r *reader) failAt(off int, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format+" at offset %d", append(args, off)...)
	}
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.buf) {
		r.fail("%w", errEOF)
		return 0
	}
	b := r.buf[r.pos]
	r.pos++
	return b
}

// bytes returns the next n bytes (aliasing the buffer).
func (r *reader) bytes(n uint32) []byte {
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.buf)-r.pos) {
		r.fail("%w (need %d bytes)", errEOF, n)
		return nil
	}
	b := r.buf[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b
}

// errCount reports a vector length larger than the bytes left to hold it.
// Instrument checks every count this way, so that its output never makes
// wazero preallocate from an implausible count (wazero v1.12 sizes slices
// and maps from section counts before reading the entries).
var errCount = errors.New("count exceeds the remaining bytes")

// count reads a vector length and checks that the rest of the buffer could
// hold that many entries of at least one byte.
func (r *reader) count() uint32 {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.buf)-r.pos) {
		r.fail("%w (%d)", errCount, n)
		return 0
	}
	return n
}

// name reads a vec(byte): a length-prefixed string.
func (r *reader) name() []byte { return r.bytes(r.u32()) }

// u32 reads an unsigned LEB128 of at most 5 bytes whose unused bits are zero.
func (r *reader) u32() uint32 {
	if r.pos < len(r.buf) && r.buf[r.pos] < 0x80 && r.err == nil { // one byte: most values
		r.pos++
		return uint32(r.buf[r.pos-1])
	}
	var v uint32
	for i := 0; i < 5; i++ {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if i == 4 && b&0xf0 != 0 {
			r.fail("u32 LEB128 too long or out of range")
			return 0
		}
		v |= uint32(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			return v
		}
	}
	return v // unreachable: the fifth byte never has its high bit set here
}

// signed reads a signed LEB128 of an N-bit integer (N = 32, 33 or 64) and
// returns it sign-extended. The final byte's unused bits must equal the sign.
func (r *reader) signed(bits int) int64 {
	if r.pos < len(r.buf) && r.buf[r.pos] < 0x80 && r.err == nil { // one byte: -64..63
		r.pos++
		return int64(r.buf[r.pos-1]) << 57 >> 57
	}
	maxLen := (bits + 6) / 7
	var v int64
	for i := 0; i < maxLen; i++ {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		shift := 7 * i
		if i == maxLen-1 {
			// Bits of this byte that lie at or above bit N-1 must all equal
			// the sign bit (N-1), and there must be no continuation.
			used := bits - shift // value bits in this byte, sign included
			signMask := byte(0x7f) &^ (byte(1)<<(used-1) - 1)
			if b&0x80 != 0 || (b&signMask != 0 && b&signMask != signMask) {
				r.fail("s%d LEB128 too long or out of range", bits)
				return 0
			}
		}
		v |= int64(b&0x7f) << shift
		if b&0x80 == 0 {
			if s := shift + 7; s < 64 && b&0x40 != 0 {
				v |= -1 << s
			}
			return v
		}
	}
	return v
}

// expectEnd fails unless the whole buffer was consumed.
func (r *reader) expectEnd(what string) {
	if r.err == nil && r.pos != len(r.buf) {
		r.fail("%s: %d trailing bytes", what, len(r.buf)-r.pos)
	}
}

// appendU32 appends v as a minimal unsigned LEB128.
func appendU32(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendS64 appends v as a minimal signed LEB128.
func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// appendName appends a length-prefixed string.
func appendName(b []byte, s string) []byte {
	return append(appendU32(b, uint32(len(s))), s...)
}

// beginSized reserves room for a u32 size prefix and returns the mark that
// endSized needs.
func beginSized(b []byte) ([]byte, int) {
	return append(b, 0, 0, 0, 0, 0), len(b) + 5
}

// endSized writes the size of everything appended since beginSized as a
// minimal LEB128 in front of it, moving the content down over unused room.
func endSized(b []byte, mark int) []byte {
	size := len(b) - mark
	var tmp [5]byte
	n := len(appendU32(tmp[:0], uint32(size)))
	start := mark - 5
	copy(b[start:], tmp[:n])
	copy(b[start+n:], b[mark:])
	return b[:start+n+size]
}
