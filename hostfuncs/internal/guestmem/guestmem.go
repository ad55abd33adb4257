// Package guestmem reads and writes guest linear memory with the bounds checks of the
// lunatic ABI: every bad pointer, range or string traps the calling process with a
// message naming the host function.
package guestmem

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/vm"
)

func memory(m api.Module, fn string) api.Memory {
	mem := m.Memory()
	if mem == nil {
		vm.Throw(fn, "the module has no memory")
	}
	return mem
}

// View returns guest memory [ptr, ptr+n) without copying. The view is only valid until the
// guest runs again (memory.grow may move it).
func View(m api.Module, fn string, ptr, n uint32) []byte {
	b, ok := memory(m, fn).Read(ptr, n)
	if !ok {
		vm.Throw(fn, "pointer out of bounds (%d bytes at %#x)", n, ptr)
	}
	return b
}

// Read copies guest memory [ptr, ptr+n).
func Read(m api.Module, fn string, ptr, n uint32) []byte {
	return append([]byte(nil), View(m, fn, ptr, n)...)
}

// String copies a UTF-8 string from guest memory, trapping on invalid UTF-8.
func String(m api.Module, fn string, ptr, n uint32) string {
	b := View(m, fn, ptr, n)
	if !utf8.Valid(b) {
		vm.Throw(fn, "string is not valid UTF-8")
	}
	return string(b)
}

// Write copies data into guest memory at ptr.
func Write(m api.Module, fn string, ptr uint32, data []byte) {
	if !memory(m, fn).Write(ptr, data) {
		vm.Throw(fn, "pointer out of bounds (%d bytes at %#x)", len(data), ptr)
	}
}

// WriteU64 writes v little-endian at ptr (8 bytes, unaligned allowed).
func WriteU64(m api.Module, fn string, ptr uint32, v uint64) {
	if !memory(m, fn).WriteUint64Le(ptr, v) {
		vm.Throw(fn, "pointer out of bounds (8 bytes at %#x)", ptr)
	}
}

// WriteU32 writes v little-endian at ptr.
func WriteU32(m api.Module, fn string, ptr uint32, v uint32) {
	if !memory(m, fn).WriteUint32Le(ptr, v) {
		vm.Throw(fn, "pointer out of bounds (4 bytes at %#x)", ptr)
	}
}

// CheckRange traps unless [ptr, ptr+n) lies inside guest memory.
func CheckRange(m api.Module, fn string, ptr uint32, n uint64) {
	if uint64(ptr)+n > uint64(memory(m, fn).Size()) {
		vm.Throw(fn, "pointer out of bounds (%d bytes at %#x)", n, ptr)
	}
}

// I64sInto reads count little-endian i64 values at ptr into the slice buf(count) returns
// (a reusable buffer), once the range has been checked.
func I64sInto(buf func(n int) []int64, m api.Module, fn string, ptr, count uint32) []int64 {
	n := uint64(count) * 8
	if n > uint64(^uint32(0)) {
		vm.Throw(fn, "pointer out of bounds (%d values at %#x)", count, ptr)
	}
	b := View(m, fn, ptr, uint32(n))
	out := buf(int(count))
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(b[i*8:]))
	}
	return out
}

// I64s reads count little-endian i64 values at ptr.
func I64s(m api.Module, fn string, ptr, count uint32) []int64 {
	n := uint64(count) * 8
	if n > uint64(^uint32(0)) {
		vm.Throw(fn, "pointer out of bounds (%d values at %#x)", count, ptr)
	}
	b := View(m, fn, ptr, uint32(n))
	out := make([]int64, count)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(b[i*8:]))
	}
	return out
}
