package scheduler

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// assemble assembles a binary module from section id/content pairs.
func assemble(sections ...[]byte) []byte {
	m := append([]byte{}, wasmHeader...)
	for _, s := range sections {
		m = append(m, s[0])
		m = appendU32(m, uint32(len(s)-1))
		m = append(m, s[1:]...)
	}
	return m
}

func sec(id byte, content ...byte) []byte { return append([]byte{id}, content...) }

// funcBody builds a code section entry without locals.
func funcBody(instrs ...byte) []byte {
	body := append([]byte{0x00}, instrs...)
	return append(appendU32(nil, uint32(len(body))), body...)
}

// TestInstrumentStructure checks the sections Instrument creates or extends
// for modules lacking them, by compiling the output and looking at its
// imports, exports and types.
func TestInstrumentStructure(t *testing.T) {
	voidType := sec(secType, 0x01, 0x60, 0x00, 0x00)
	i64Type := sec(secType, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, valI64)
	for _, tc := range []struct {
		name  string
		wasm  []byte
		types int // type count after instrumentation
	}{
		{"empty", assemble(), 1},
		{"memory only", assemble(sec(secMemory, 0x01, 0x00, 0x01)), 1},
		{"types without code", assemble(voidType), 2},
		{"reuses () -> i64", assemble(i64Type,
			sec(secFunction, 0x01, 0x01),
			sec(secCode, append([]byte{0x01}, funcBody(opI64Const, 0x07, opEnd)...)...)), 2},
		{"function without imports", assemble(voidType,
			sec(secFunction, 0x01, 0x00),
			sec(secExport, 0x01, 0x01, 'f', 0x00, 0x00),
			sec(secCode, append([]byte{0x01}, funcBody(opEnd)...)...)), 2},
		{"custom sections everywhere", assemble(sec(secCustom, 0x01, 'a'), voidType, sec(secCustom, 0x01, 'b'),
			sec(secFunction, 0x01, 0x00), sec(secCustom, 0x01, 'c'),
			sec(secCode, append([]byte{0x01}, funcBody(opEnd)...)...), sec(secCustom, 0x01, 'd', 'x')), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := bytes.Clone(tc.wasm)
			out := instrument(t, tc.wasm)
			if !bytes.Equal(orig, tc.wasm) {
				t.Error("Instrument modified its input")
			}
			ctx := context.Background()
			r := newRuntime(t, &fuelHost{quantum: 100})
			cm, err := r.CompileModule(ctx, out)
			if err != nil {
				t.Fatalf("output does not compile: %v", err)
			}
			imports := cm.ImportedFunctions()
			if len(imports) != 1 {
				t.Fatalf("%d imported functions, want 1", len(imports))
			}
			mod, name, _ := imports[0].Import()
			if mod != ImportModule || name != ImportName || len(imports[0].ParamTypes()) != 0 ||
				len(imports[0].ResultTypes()) != 1 || imports[0].ResultTypes()[0] != api.ValueTypeI64 {
				t.Errorf("import %s.%s %v -> %v", mod, name, imports[0].ParamTypes(), imports[0].ResultTypes())
			}
			secs, err := splitSections(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secs {
				if s.id == secType {
					if n := newReader(s.content, 0).u32(); int(n) != tc.types {
						t.Errorf("%d types, want %d", n, tc.types)
					}
				}
			}
			inst, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
			if err != nil {
				t.Fatal(err)
			}
			if g := inst.ExportedGlobal(FuelExport); g == nil || g.Type() != api.ValueTypeI64 {
				t.Errorf("fuel global not exported as i64: %v", g)
			}
			if f := inst.ExportedFunction("f"); f != nil {
				if _, err := f.Call(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// TestInstrumentErrors checks that malformed or unsupported input gives a
// clear error and no output.
func TestInstrumentErrors(t *testing.T) {
	oneFunc := func(instrs ...byte) []byte {
		return assemble(sec(secType, 0x01, 0x60, 0x00, 0x00), sec(secFunction, 0x01, 0x00),
			sec(secCode, append([]byte{0x01}, funcBody(instrs...)...)...))
	}
	for _, tc := range []struct {
		name, want string
		wasm       []byte
	}{
		{"empty input", "not a wasm 1.0 binary", nil},
		{"bad version", "not a wasm 1.0 binary", []byte{0x00, 'a', 's', 'm', 0x02, 0x00, 0x00, 0x00}},
		{"truncated section", "unexpected end of input", append(assemble(), secType, 0x05, 0x01)},
		{"sections out of order", "out of order", assemble(sec(secFunction, 0x00), sec(secType, 0x00))},
		{"unknown section", "unsupported section id 13", assemble(sec(13, 0x00))},
		{"overlong LEB128", "LEB128 too long", append(assemble(), secType, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)},
		{"exception handling", "instrument: function 0: unknown opcode 0x6 at offset 23", oneFunc(0x06, 0x40, opEnd, opEnd)},
		{"tail call", "unknown opcode 0x12", oneFunc(0x12, 0x00, opEnd)},
		{"atomics", "unknown opcode 0xfe", oneFunc(0xfe, 0x00, 0x00, 0x00, opEnd)},
		{"unknown misc", "unknown opcode 0xfc 0x12", oneFunc(opPrefixMisc, 0x12, opEnd)},
		{"unassigned SIMD", "unknown opcode 0xfd 0x9a", oneFunc(opPrefixSIMD, 0x9a, 0x01, opEnd)},
		{"non-canonical SIMD", "non-canonical encoding", oneFunc(opPrefixSIMD, 0x8c, 0x00, opEnd)},
		{"missing end", "unexpected end of input", oneFunc(opNop)},
		{"trailing bytes", "trailing bytes", oneFunc(opEnd, opNop)},
		{"else without if", "else without if", oneFunc(opElse, opEnd)},
		{"bad block type", "unsupported block type", oneFunc(opBlock, 0x50, opEnd, opEnd)},
		{"block type out of range", "block type index 7 out of range", oneFunc(opBlock, 0x07, opEnd, opEnd)},
		{"shared memory", "unsupported memory limits", assemble(sec(secImport, 0x01, 0x01, 'm', 0x01, 'm', 0x02, 0x03, 0x01, 0x01))},
		{"code count mismatch", "code section has 0 bodies", assemble(sec(secType, 0x01, 0x60, 0x00, 0x00), sec(secFunction, 0x01, 0x00), sec(secCode, 0x00))},
		{"instrumented twice", "instrumented twice", instrument(t, fixture(t, "loop"))},
		// The first free global and type indices become the fuel global and
		// the yield type: an input using them must not become valid.
		{"global.set of the fuel global", "global index 0 out of range",
			oneFunc(opI64Const, 0x00, opGlobalSet, 0x00, opEnd)},
		{"call_indirect of the yield type", "type index 1 out of range", assemble(
			sec(secType, 0x01, 0x60, 0x00, 0x00), sec(secFunction, 0x01, 0x00), sec(secTable, 0x01, refFuncref, 0x00, 0x01),
			sec(secCode, append([]byte{0x01}, funcBody(opI32Const, 0x00, opCallIndirect, 0x01, 0x00, 0x1a, opEnd)...)...))},
		{"exported fuel global", "global index 0 out of range", assemble(sec(secExport, 0x01, 0x01, 'g', 0x03, 0x00))},
		{"import of the yield type", "type index 0 out of range",
			assemble(sec(secImport, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00))},
		// Shifted by one, an index just out of range would name a function.
		{"call out of range", "function index 1 out of range", oneFunc(opCall, 0x01, opEnd)},
		{"export out of range", "function index 4294967295 out of range", assemble(
			sec(secType, 0x01, 0x60, 0x00, 0x00), sec(secFunction, 0x01, 0x00),
			sec(secExport, 0x01, 0x01, 'f', 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f),
			sec(secCode, append([]byte{0x01}, funcBody(opEnd)...)...))},
		// wazero would preallocate from these counts (gigabytes).
		{"implausible export count", "count exceeds the remaining bytes",
			assemble(sec(secExport, 0xcf, 0xcf, 0xcf, 0xcf, 0x05, 0x00))},
		{"implausible data length", "need 1000000 bytes",
			assemble(sec(secMemory, 0x01, 0x00, 0x01), sec(secData, 0x01, 0x01, 0xc0, 0x84, 0x3d, 0x00))},
		{"too many locals", "limit exceeded: 4294967295 locals", assemble(sec(secType, 0x01, 0x60, 0x00, 0x00),
			sec(secFunction, 0x01, 0x00), sec(secCode, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, valI32, opEnd))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Instrument(tc.wasm)
			if err == nil {
				t.Fatalf("no error; output % x", out)
			}
			if out != nil {
				t.Error("output returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "instrument: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}
