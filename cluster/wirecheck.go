package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errWireShape is returned for msgpack data whose declared sizes cannot be right.
var errWireShape = errors.New("malformed msgpack")

// checkSizes walks the first msgpack value in b and fails when a string, binary,
// extension, array or map declares more than the bytes left could hold (every array
// element and map key or value takes at least one byte, and so does every value of every
// array or map still open). msgpack/v5 allocates a slice
// of the declared length before decoding its elements (its allocation limit is never
// applied in v5.4.1), so six bytes from a peer declaring 3.7 billion elements made a
// node allocate 30 GB and die (FuzzWireDecode found it). Checking first costs one pass
// over small frames.
func checkSizes(b []byte) error {
	pending := 1 // values still to walk
	i := 0
	for pending > 0 {
		if i >= len(b) {
			return fmt.Errorf("%w: %d bytes end inside a value", errWireShape, len(b))
		}
		pending--
		c := b[i]
		i++
		var skip, items uint64 // payload bytes to skip; nested values to walk
		switch {
		case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		case c >= 0x80 && c <= 0x8f:
			items = 2 * uint64(c&0x0f)
		case c >= 0x90 && c <= 0x9f:
			items = uint64(c & 0x0f)
		case c >= 0xa0 && c <= 0xbf:
			skip = uint64(c & 0x1f)
		default:
			var n uint64
			var width int
			switch c {
			case 0xcc, 0xd0:
				skip = 1
			case 0xcd, 0xd1:
				skip = 2
			case 0xca, 0xce, 0xd2:
				skip = 4
			case 0xcb, 0xcf, 0xd3:
				skip = 8
			case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext: type byte + 1..16 bytes
				skip = 1 + 1<<(c-0xd4)
			case 0xc4, 0xd9, 0xc7: // bin8, str8, ext8
				width = 1
			case 0xc5, 0xda, 0xc8, 0xdc, 0xde: // 16-bit lengths
				width = 2
			case 0xc6, 0xdb, 0xc9, 0xdd, 0xdf: // 32-bit lengths
				width = 4
			default: // 0xc1 is never used
				return fmt.Errorf("%w: byte 0x%02x at %d", errWireShape, c, i-1)
			}
			if width > 0 {
				if len(b)-i < width {
					return fmt.Errorf("%w: %d bytes end inside a length", errWireShape, len(b))
				}
				switch width {
				case 1:
					n = uint64(b[i])
				case 2:
					n = uint64(binary.BigEndian.Uint16(b[i:]))
				case 4:
					n = uint64(binary.BigEndian.Uint32(b[i:]))
				}
				i += width
				switch c {
				case 0xdc, 0xdd:
					items = n
				case 0xde, 0xdf:
					items = 2 * n
				case 0xc7, 0xc8, 0xc9:
					skip = n + 1 // the extension's type byte
				default:
					skip = n
				}
			}
		}
		// Every value still to walk, these items included, needs a byte after the skip:
		// so all the elements that open arrays and maps declare fit in b.
		left := uint64(len(b) - i)
		if skip > left || uint64(pending)+items > left-skip {
			return fmt.Errorf("%w: a value at %d declares more than the %d bytes left", errWireShape, i, left)
		}
		i += int(skip)
		pending += int(items)
	}
	return nil
}
