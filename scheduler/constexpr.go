package scheduler

// Opcodes that matter to the rewriter.
const (
	opUnreachable  = 0x00
	opNop          = 0x01
	opBlock        = 0x02
	opLoop         = 0x03
	opIf           = 0x04
	opElse         = 0x05
	opEnd          = 0x0b
	opBr           = 0x0c
	opBrIf         = 0x0d
	opBrTable      = 0x0e
	opReturn       = 0x0f
	opCall         = 0x10
	opCallIndirect = 0x11
	opDrop         = 0x1a
	opGlobalGet    = 0x23
	opGlobalSet    = 0x24
	opI32Const     = 0x41
	opI64Const     = 0x42
	opF32Const     = 0x43
	opF64Const     = 0x44
	opI64LtS       = 0x53
	opLocalGet     = 0x20
	opLocalSet     = 0x21
	opLocalTee     = 0x22
	opI32GeS       = 0x4e
	opI32Sub       = 0x6b
	opI64Add       = 0x7c
	opI64Sub       = 0x7d
	opRefNull      = 0xd0
	opRefFunc      = 0xd2
	opPrefixMisc   = 0xfc
	opPrefixSIMD   = 0xfd
	simdV128Const  = 0x0c
	blockTypeEmpty = 0x40
)

// rewriteConstExpr copies one constant expression (up to and including its
// end) from r to out, remapping ref.func indices. It accepts the constant
// instructions of wasm 2.0 plus the extended-const arithmetic, which wazero
// validates on its own.
func rewriteConstExpr(r *reader, out []byte, m *module) []byte {
	for r.err == nil {
		start := r.pos
		op := r.byte()
		switch op {
		case opEnd:
			return append(out, op)
		case opI32Const:
			r.signed(32)
		case opI64Const:
			r.signed(64)
		case opF32Const:
			r.bytes(4)
		case opF64Const:
			r.bytes(8)
		case opGlobalGet:
			idx := r.u32()
			m.checkGlobal(r, idx)
			if r.err == nil {
				out = appendU32(append(out, op), m.remapGlobal(idx))
			}
			continue
		case opRefNull:
			readRefType(r)
		case opRefFunc:
			idx := r.u32()
			if r.err == nil {
				out = appendU32(append(out, op), m.remapFunc(r, idx))
				m.takeAddress(idx)
			}
			continue
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // i32/i64 add, sub, mul
		case opPrefixSIMD:
			if sub := r.byte(); sub != simdV128Const && r.err == nil {
				r.fail("unsupported constant instruction 0xfd 0x%x", sub)
			}
			r.bytes(16)
		default:
			if r.err == nil {
				r.fail("unsupported constant instruction 0x%x", op)
			}
		}
		if r.err == nil {
			out = append(out, r.buf[start:r.pos]...)
		}
	}
	return out
}
