package scheduler

// Immediate classes of single-byte opcodes. The control instructions
// (block, loop, if, else, end, call, ref.func) are handled by
// the function scanner itself and are immUnknown here.
const (
	immUnknown = iota
	immNone
	immU32     // label, local, global or table index; memory.size/grow reserved byte
	immBrTable // vec(label) label
	immU32Pair // memarg (align, offset); call_indirect (type, table)
	immS32
	immS64
	immF32
	immF64
	immSelectT // vec(valtype) of length 1
	immRefType // ref.null
	immMisc    // 0xfc prefix
	immSIMD    // 0xfd prefix
)

// opImm maps each single-byte opcode accepted by wazero's default features
// (MVP, sign extension, reference types) to its immediate class.
var opImm = func() (t [256]uint8) {
	set := func(lo, hi int, c uint8) {
		for op := lo; op <= hi; op++ {
			t[op] = c
		}
	}
	set(0x00, 0x00, immNone) // unreachable
	set(0x0c, 0x0d, immU32)  // br, br_if
	set(0x0e, 0x0e, immBrTable)
	set(0x0f, 0x0f, immNone)    // return
	set(0x11, 0x11, immU32Pair) // call_indirect
	set(0x1a, 0x1b, immNone)    // drop, select
	set(0x1c, 0x1c, immSelectT)
	set(0x20, 0x26, immU32)     // local.*, global.*, table.get/set
	set(0x28, 0x3e, immU32Pair) // loads and stores
	set(0x3f, 0x40, immU32)     // memory.size, memory.grow
	set(0x41, 0x41, immS32)
	set(0x42, 0x42, immS64)
	set(0x43, 0x43, immF32)
	set(0x44, 0x44, immF64)
	set(0x45, 0xc4, immNone) // numeric, incl. sign extension 0xc0-0xc4
	set(0xd0, 0xd0, immRefType)
	set(0xd1, 0xd1, immNone) // ref.is_null
	set(opPrefixMisc, opPrefixMisc, immMisc)
	set(opPrefixSIMD, opPrefixSIMD, immSIMD)
	return t
}()

// skipImmediates reads the immediates of op, which starts at opOffset. It
// fails on opcodes outside wazero's default feature set.
func skipImmediates(r *reader, op byte, opOffset int) {
	switch opImm[op] {
	case immNone:
	case immU32:
		r.u32()
	case immBrTable:
		n := r.count()
		for i := uint32(0); i <= n && r.err == nil; i++ {
			r.u32()
		}
	case immU32Pair:
		r.u32()
		r.u32()
	case immS32:
		r.signed(32)
	case immS64:
		r.signed(64)
	case immF32:
		r.bytes(4)
	case immF64:
		r.bytes(8)
	case immSelectT:
		// wazero reads the count as one byte and requires exactly 1.
		if n := r.byte(); n != 1 && r.err == nil {
			r.fail("typed select with %d types", n)
		}
		readValType(r)
	case immRefType:
		readRefType(r)
	case immMisc:
		skipMisc(r, opOffset)
	case immSIMD:
		skipSIMD(r, opOffset)
	default:
		r.failAt(opOffset, "unknown opcode 0x%x", op)
	}
}

// skipMisc reads a 0xfc-prefixed instruction: saturating truncation (0-7),
// bulk memory (8-11) and table operations (12-17).
func skipMisc(r *reader, opOffset int) {
	sub := r.u32()
	if r.err != nil {
		return
	}
	switch {
	case sub <= 7:
	case sub == 8, sub == 10, sub == 12, sub == 14: // memory.init, memory.copy, table.init, table.copy
		r.u32()
		r.u32()
	case sub <= 17: // data.drop, memory.fill, elem.drop, table.grow/size/fill
		r.u32()
	default:
		r.failAt(opOffset, "unknown opcode 0xfc 0x%x", sub)
	}
}

// SIMD immediate classes.
const (
	simdInvalid = iota
	simdNone
	simdMemarg
	simdMemargLane
	simdBytes16
	simdLane
)

// simdImm maps each 0xfd-prefixed opcode of the fixed-width SIMD proposal, as
// implemented by wazero v1.12, to its immediate class.
var simdImm = func() (t [256]uint8) {
	for op := range t {
		t[op] = simdNone
	}
	for _, op := range []int{0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4,
		0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee} {
		t[op] = simdInvalid // unassigned in the final SIMD specification
	}
	for op := 0x00; op <= 0x0b; op++ {
		t[op] = simdMemarg // v128.load*, v128.store
	}
	t[0x5c], t[0x5d] = simdMemarg, simdMemarg // v128.load32_zero, load64_zero
	for op := 0x54; op <= 0x5b; op++ {
		t[op] = simdMemargLane // v128.load*_lane, v128.store*_lane
	}
	t[0x0c], t[0x0d] = simdBytes16, simdBytes16 // v128.const, i8x16.shuffle
	for op := 0x15; op <= 0x22; op++ {
		t[op] = simdLane // extract_lane, replace_lane
	}
	return t
}()

// skipSIMD reads a 0xfd-prefixed instruction. wazero decodes the opcode as
// one byte (for opcodes >= 0x80 it treats the LEB128 continuation byte 0x01
// as a following nop), so only the canonical encoding is accepted here: any
// other form would make wazero see different instructions than we do.
func skipSIMD(r *reader, opOffset int) {
	op := r.byte()
	if r.err != nil {
		return
	}
	if op >= 0x80 {
		if next := r.byte(); next != 0x01 && r.err == nil {
			r.failAt(opOffset, "non-canonical encoding of SIMD opcode 0xfd 0x%x", op)
			return
		}
	}
	switch simdImm[op] {
	case simdNone:
	case simdMemarg:
		r.u32()
		r.u32()
	case simdMemargLane:
		r.u32()
		r.u32()
		r.byte()
	case simdBytes16:
		r.bytes(16)
	case simdLane:
		r.byte()
	default:
		r.failAt(opOffset, "unknown opcode 0xfd 0x%x", op)
	}
}

// readBlockType reads a block type: empty, one value type, or an index into
// the type section (multi-value), encoded as a signed 33-bit integer. It
// returns the type index and true for the last form.
func readBlockType(r *reader, numTypes int) (uint32, bool) {
	start := r.offset()
	v := r.signed(33)
	if r.err != nil {
		return 0, false
	}
	switch {
	case v >= 0:
		if v >= int64(numTypes) {
			r.failAt(start, "block type index %d out of range", v)
			return 0, false
		}
		return uint32(v), true
	case v == -0x40: // empty
	case v >= -0x40 && isValType(byte(v&0x7f)):
	default:
		r.failAt(start, "unsupported block type %d", v)
	}
	return 0, false
}
