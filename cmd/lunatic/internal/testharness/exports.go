package testharness

import (
	"errors"
	"fmt"
)

// wasmFuncExports returns the names of the function exports of a core WebAssembly module,
// in export-section order, by walking the section headers of the raw bytes. It does not
// validate the rest of the module (compilation does); it never panics on malformed input.
func wasmFuncExports(wasm []byte) ([]string, error) {
	r := wasmReader{b: wasm}
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" || string(wasm[4:8]) != "\x01\x00\x00\x00" {
		return nil, errors.New("not a core WebAssembly module")
	}
	r.off = 8
	for r.off < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil || uint64(r.off)+uint64(size) > uint64(len(r.b)) {
			return nil, fmt.Errorf("malformed section header at byte %d", r.off)
		}
		body := wasmReader{b: r.b[r.off : r.off+int(size)]}
		r.off += int(size)
		const exportSection = 7
		if id == exportSection {
			return body.funcExports()
		}
	}
	return nil, nil
}

// funcExports decodes an export section body and keeps the function exports.
func (r *wasmReader) funcExports() ([]string, error) {
	n := r.u32()
	var names []string
	for i := uint32(0); i < n && r.err == nil; i++ {
		name := r.name()
		kind := r.byte()
		r.u32() // index
		const funcKind = 0
		if r.err == nil && kind == funcKind {
			names = append(names, name)
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("malformed export section: %w", r.err)
	}
	return names, nil
}

// wasmReader reads the few encodings the export walk needs; the first error sticks.
type wasmReader struct {
	b   []byte
	off int
	err error
}

var errTruncated = errors.New("unexpected end of data")

func (r *wasmReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

// u32 reads an unsigned LEB128 value of at most 5 bytes.
func (r *wasmReader) u32() uint32 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			if v > 1<<32-1 {
				r.err = errors.New("LEB128 value overflows u32")
				return 0
			}
			return uint32(v)
		}
	}
	r.err = errors.New("LEB128 value longer than 5 bytes")
	return 0
}

func (r *wasmReader) name() string {
	n := r.u32()
	if r.err != nil {
		return ""
	}
	if uint64(r.off)+uint64(n) > uint64(len(r.b)) {
		r.err = errTruncated
		return ""
	}
	s := string(r.b[r.off : r.off+int(n)])
	r.off += int(n)
	return s
}
