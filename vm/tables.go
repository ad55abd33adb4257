package vm

import (
	"errors"
	"fmt"
)

// MaxTableElements is the largest number of elements a process's table may hold, as in
// the original runtime (config.md §1.1: growth to 100,000 or more is refused).
const MaxTableElements = 99_999

// MaxTables is how many tables a process may have (config.md §1.1: one memory, one table).
const MaxTables = 1

// tableInfo is what limitTables learned about a module's tables.
type tableInfo struct {
	count int    // tables defined by the module
	min   uint64 // the largest table minimum among them
}

// errTableSection reports a table section limitTables cannot read; the module is then
// left as it is and wazero's validation reports the problem.
var errTableSection = errors.New("malformed table section")

// limitTables returns wasm with the maximum of every defined table capped at
// MaxTableElements, so wazero's table.grow returns -1 past it: the check is wazero's own
// bounds test, at no cost per grow. A table whose minimum is already larger keeps its
// limits (a maximum below the minimum would make the module invalid); spawning such a
// module fails instead (checkTables). Bytes that are not a well-formed table section are
// returned unchanged for wazero to reject.
func limitTables(wasm []byte) ([]byte, tableInfo) {
	var info tableInfo
	pos := 8
	for pos < len(wasm) {
		id := wasm[pos]
		size, n := readU32(wasm[pos+1:])
		if n == 0 {
			return wasm, info
		}
		start := pos + 1 + n
		end := start + int(size)
		if end > len(wasm) || end < start {
			return wasm, info
		}
		if id != 4 { // not the table section
			pos = end
			continue
		}
		body, tinfo, err := capTableSection(wasm[start:end])
		if err != nil {
			return wasm, info
		}
		out := make([]byte, 0, len(wasm)+len(body)-int(size)+5)
		out = append(out, wasm[:pos]...)
		out = append(out, id)
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
		out = append(out, wasm[end:]...)
		return out, tinfo
	}
	return wasm, info
}

// hasStartSection reports whether wasm has a start section. Bytes it cannot walk count
// as having one (the careful answer).
func hasStartSection(wasm []byte) bool {
	pos := 8
	for pos < len(wasm) {
		id := wasm[pos]
		size, n := readU32(wasm[pos+1:])
		if n == 0 {
			return true
		}
		end := pos + 1 + n + int(size)
		if end > len(wasm) || end < pos {
			return true
		}
		if id == 8 {
			return true
		}
		pos = end
	}
	return false
}

// capTableSection rewrites the entries of a table section body.
func capTableSection(b []byte) ([]byte, tableInfo, error) {
	var info tableInfo
	count, n := readU32(b)
	if n == 0 {
		return nil, info, errTableSection
	}
	b = b[n:]
	out := appendU32(nil, count)
	for i := uint32(0); i < count; i++ {
		if len(b) < 2 {
			return nil, info, errTableSection
		}
		refType, flag := b[0], b[1]
		b = b[2:]
		if flag > 1 {
			return nil, info, errTableSection // shared or 64-bit tables: not enabled
		}
		lo, n := readU32(b)
		if n == 0 {
			return nil, info, errTableSection
		}
		b = b[n:]
		hi := uint64(1) << 32 // no maximum
		if flag == 1 {
			v, n := readU32(b)
			if n == 0 {
				return nil, info, errTableSection
			}
			b = b[n:]
			hi = uint64(v)
		}
		info.count++
		info.min = max(info.min, uint64(lo))
		if lo <= MaxTableElements {
			hi = min(hi, MaxTableElements)
		}
		out = append(out, refType)
		if hi == 1<<32 {
			out = appendU32(append(out, 0), lo)
			continue
		}
		out = appendU32(appendU32(append(out, 1), lo), uint32(hi))
	}
	if len(b) != 0 {
		return nil, info, errTableSection
	}
	return out, info, nil
}

// checkTables refuses to instantiate a module whose tables break the limits.
func (m *Module) checkTables() error {
	if m.tables.count > MaxTables {
		return fmt.Errorf("instantiate: the module defines %d tables; a process may have at most %d", m.tables.count, MaxTables)
	}
	if m.tables.min > MaxTableElements {
		return fmt.Errorf("instantiate: the module's table has %d elements initially; a table may hold at most %d", m.tables.min, MaxTableElements)
	}
	return nil
}

// readU32 decodes an unsigned LEB128 u32; n = 0 means malformed or truncated.
func readU32(b []byte) (v uint32, n int) {
	var shift uint
	for i := 0; i < len(b) && i < 5; i++ {
		c := b[i]
		if i == 4 && c > 0x0f {
			return 0, 0
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, i + 1
		}
		shift += 7
	}
	return 0, 0
}

func appendU32(out []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
			continue
		}
		return append(out, c)
	}
}
