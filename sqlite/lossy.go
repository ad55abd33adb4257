package sqlite

import (
	"unicode/utf8"
)

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// appendLossy appends b to dst as UTF-8, replacing each maximal ill-formed
// subsequence by one U+FFFD. This is the substitution Rust's
// String::from_utf8_lossy performs (Unicode's "maximal subpart" practice),
// which lunatic applies to every text and name it reads from SQLite. It
// differs from strings.ToValidUTF8, which replaces whole runs of bad bytes.
func appendLossy(dst, b []byte) []byte {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			dst = append(dst, b[:size]...)
			b = b[size:]
			continue
		}
		dst = append(dst, replacement...)
		b = b[validPrefix(b):]
	}
	return dst
}

// lossyString is appendLossy into a new string.
func lossyString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(appendLossy(make([]byte, 0, len(b)+8), b))
}

// lossyLen is len(appendLossy(nil, b)) without building it.
func lossyLen(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			n += size
			b = b[size:]
			continue
		}
		n += len(replacement)
		b = b[validPrefix(b):]
	}
	return n
}

// validPrefix returns the length (at least 1) of the longest prefix of b that
// starts a well-formed UTF-8 sequence, given that b does not start with a
// complete one. Bytes that cannot start a sequence count as length 1.
func validPrefix(b []byte) int {
	var need int
	lo, hi := byte(0x80), byte(0xBF) // allowed range of the second byte
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 2
	case c == 0xE0:
		need, lo = 3, 0xA0
	case c == 0xED:
		need, hi = 3, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 3
	case c == 0xF0:
		need, lo = 4, 0x90
	case c == 0xF4:
		need, hi = 4, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 4
	default:
		return 1
	}
	n := 1
	for n < need && n < len(b) {
		c := b[n]
		if n == 1 && (c < lo || c > hi) || n > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	return n
}
