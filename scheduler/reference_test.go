package scheduler

import (
	"fmt"
	"testing"
)

// The reference count for the Exact-mode tests, built independently of
// Exact mode's segment analysis: before every operator that wasmtime charges,
// the fuel global is lowered by 1, so after a run it holds minus the number of
// operators executed. With a limit, every function entry and loop header (the
// check points of wasmtime) traps with unreachable once the count reached the
// limit. The yield import is never called.

// referenceFree lists the operators wasmtime charges nothing for, written out
// here rather than taken from opCost.
var referenceFree = map[byte]bool{
	0x00: true, // unreachable
	0x01: true, // nop
	0x02: true, // block
	0x03: true, // loop
	0x05: true, // else
	0x0b: true, // end
	0x0f: true, // return
	0x1a: true, // drop
}

// instrumentReference instruments wasm for the reference count.
func instrumentReference(t testing.TB, wasm []byte, limit int64) []byte {
	t.Helper()
	m, err := analyze(wasm, Exact)
	if err != nil {
		t.Fatal(err)
	}
	m.codeHook = func(r *reader, out []byte) ([]byte, error) {
		return m.referenceCode(r, out, limit)
	}
	out, err := m.emit()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (m *module) referenceCode(r *reader, out []byte, limit int64) ([]byte, error) {
	n := r.count()
	out = appendU32(out, n)
	for i := uint32(0); i < n && r.err == nil; i++ {
		body := r.bytes(r.u32())
		b := newReader(body, 0)
		var code []byte
		locals := b.count()
		for j := uint32(0); j < locals && b.err == nil; j++ {
			b.u32()
			readValType(b)
		}
		code = append(code, body[:b.pos]...)
		code = m.referenceLimit(code, limit)
		for depth := 0; depth >= 0 && b.err == nil; {
			start := b.pos
			op := b.byte()
			if !referenceFree[op] {
				code = m.referenceCharge(code)
			}
			switch op {
			case opBlock, opLoop, opIf:
				readBlockType(b, len(m.typeParams))
				depth++
			case opEnd:
				depth--
			case opElse, opNop, opDrop, opUnreachable, opReturn:
			case opBr, opBrIf:
				b.u32()
			case opBrTable:
				k := b.count()
				for j := uint32(0); j <= k; j++ {
					b.u32()
				}
			case opCallIndirect:
				b.u32()
				b.u32()
			case opCall, opRefFunc:
				code = append(code, op)
				code = appendU32(code, m.remapFunc(b, b.u32()))
				continue
			default:
				skipImmediates(b, op, start)
			}
			code = append(code, body[start:b.pos]...)
			if op == opLoop {
				code = m.referenceLimit(code, limit)
			}
		}
		if b.err != nil {
			return nil, fmt.Errorf("reference: function %d: %w", i, b.err)
		}
		out = appendU32(out, uint32(len(code)))
		out = append(out, code...)
	}
	return out, r.err
}

// referenceCharge appends: fuel -= 1.
func (m *module) referenceCharge(code []byte) []byte {
	code = appendU32(append(code, opGlobalGet), m.globals)
	code = append(code, opI64Const, 0x01, opI64Sub)
	return appendU32(append(code, opGlobalSet), m.globals)
}

// referenceLimit appends, with a limit: if -fuel >= limit, unreachable.
func (m *module) referenceLimit(code []byte, limit int64) []byte {
	if limit <= 0 {
		return code
	}
	code = appendU32(append(code, opGlobalGet), m.globals)
	code = appendS64(append(code, opI64Const), -limit)
	return append(code, 0x57 /* i64.le_s */, opIf, blockTypeEmpty, opUnreachable, opEnd)
}
