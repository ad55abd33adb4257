package scheduler

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
)

// opcodeModule returns a module with one function whose body is
// `unreachable; instr; unreachable; end`. After unreachable the stack is
// polymorphic, so any known instruction with valid immediates validates. The
// module has a type, table, memory, mutable global, element and data segment
// for index immediates of 0 to refer to.
func opcodeModule(instr []byte) []byte {
	sec := func(id byte, content ...byte) []byte {
		return append(appendU32([]byte{id}, uint32(len(content))), content...)
	}
	body := append(append([]byte{0x00, opUnreachable}, instr...), opUnreachable, opEnd)
	code := append(appendU32([]byte{0x01}, uint32(len(body))), body...)
	m := append([]byte{}, wasmHeader...)
	m = append(m, sec(secType, 0x01, 0x60, 0x01, valI32, 0x00)...)
	m = append(m, sec(secFunction, 0x01, 0x00)...)
	m = append(m, sec(secTable, 0x01, refFuncref, 0x00, 0x01)...)
	m = append(m, sec(secMemory, 0x01, 0x00, 0x01)...)
	m = append(m, sec(secGlobal, 0x01, valI32, 0x01, opI32Const, 0x00, opEnd)...)
	m = append(m, sec(secElement, 0x01, 0x01, 0x00, 0x01, 0x00)...)
	m = append(m, sec(secDataCount, 0x01)...)
	m = append(m, sec(secCode, code...)...)
	return append(m, sec(secData, 0x01, 0x01, 0x00)...)
}

// immediates returns valid immediates (all indices 0, lane 0) for an opcode
// according to this package's tables.
func immediates(op byte) []byte {
	switch op {
	case opCall, opRefFunc:
		return []byte{0x00}
	}
	switch opImm[op] {
	case immU32, immS32, immS64:
		return []byte{0x00}
	case immBrTable, immU32Pair:
		return []byte{0x00, 0x00}
	case immF32:
		return make([]byte, 4)
	case immF64:
		return make([]byte, 8)
	case immSelectT:
		return []byte{0x01, valI32}
	case immRefType:
		return []byte{refFuncref}
	}
	return nil
}

func simdInstr(op byte) []byte {
	b := []byte{opPrefixSIMD, op}
	if op >= 0x80 {
		b = append(b, 0x01)
	}
	switch simdImm[op] {
	case simdMemarg:
		b = append(b, 0x00, 0x00)
	case simdMemargLane:
		b = append(b, 0x00, 0x00, 0x00)
	case simdBytes16:
		b = append(b, make([]byte, 16)...)
	case simdLane:
		b = append(b, 0x00)
	}
	return b
}

func miscInstr(op byte) []byte {
	b := []byte{opPrefixMisc, op}
	switch {
	case op == 8 || op == 10 || op == 12 || op == 14:
		b = append(b, 0x00, 0x00)
	case op >= 9 && op <= 17:
		b = append(b, 0x00)
	}
	return b
}

// TestOpcodesMatchWazero checks, for every single-byte opcode, every 0xfc and
// every 0xfd opcode, that Instrument accepts an instruction exactly when
// wazero (default features) validates it, and that the instrumented module
// validates too. A wrong immediate layout in this package's tables makes the
// bytes that follow parse differently, which one of the two would reject.
func TestOpcodesMatchWazero(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer r.Close(ctx)
	var cases [][]byte
	for op := 0; op < 256; op++ {
		switch op {
		case opBlock, opLoop, opIf, opElse, opEnd, opPrefixMisc, opPrefixSIMD:
			continue // structure is covered by the WAT fixtures
		}
		cases = append(cases, append([]byte{byte(op)}, immediates(byte(op))...))
	}
	for op := 0; op < 32; op++ {
		cases = append(cases, miscInstr(byte(op)))
	}
	for op := 0; op < 256; op++ {
		cases = append(cases, simdInstr(byte(op)))
	}
	accepted := 0
	for _, instr := range cases {
		wasm := opcodeModule(instr)
		_, wazeroErr := r.CompileModule(ctx, wasm)
		out, err := Instrument(wasm)
		if (err == nil) != (wazeroErr == nil) {
			t.Errorf("instruction % x: Instrument error %v, wazero error %v", instr, err, wazeroErr)
			continue
		}
		if err != nil {
			continue
		}
		accepted++
		if _, err := r.CompileModule(ctx, out); err != nil {
			t.Errorf("instruction % x: instrumented module invalid: %v", instr, err)
		}
	}
	// Single-byte (MVP, sign extension, reference types; without block,
	// loop, if, else, end): 178. Misc (0xfc): 18. SIMD (0xfd): 236.
	if want := 178 + 18 + 236; accepted != want {
		t.Errorf("%d instructions accepted, want %d", accepted, want)
	}
}
