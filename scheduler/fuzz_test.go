package scheduler

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
)

// FuzzInstrument feeds mutated modules to Instrument in both modes. It must
// never panic, and whenever it succeeds on an input that wazero (default
// features) validates, its output must validate too.
//
// wazero v1.12 sizes slices and maps from the counts it reads before it
// reads the entries, so a few malformed bytes can make it allocate
// gigabytes. Instrument checks every count, so its output is safe to give to
// wazero; the input is given to wazero only when Instrument succeeded, which
// means every section that wazero decodes passed the same checks (the
// exception, a name section that Instrument drops because it does not
// parse, is skipped as well).
func FuzzInstrument(f *testing.F) {
	for _, name := range []string{"env", "remap", "features", "loop", "bench", "exact"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte{})
	f.Add(append([]byte{}, wasmHeader...))
	f.Add(opcodeModule([]byte{opPrefixSIMD, 0x0d}))
	f.Add(opcodeModule([]byte{opBrTable, 0x02, 0x00, 0x00, 0x00}))
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	f.Cleanup(func() { r.Close(ctx) })
	// EpochLoops output also goes through the optimizing compiler, which lowers its poll
	// calls itself (experimental.PollName) in every control-flow context.
	rc := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	f.Cleanup(func() { rc.Close(ctx) })
	f.Fuzz(func(t *testing.T, wasm []byte) {
		var outs [][]byte
		for _, mode := range allModes {
			out, err := InstrumentMode(wasm, mode)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "instrument: ") {
					t.Errorf("%s: error without prefix: %v", mode, err)
				}
				return
			}
			if hasNames(wasm) && !hasNames(out) {
				return
			}
			outs = append(outs, out)
		}
		cm, err := r.CompileModule(ctx, wasm)
		if err != nil {
			return
		}
		cm.Close(ctx)
		for i, out := range outs {
			cm, err = r.CompileModule(ctx, out)
			if err != nil {
				t.Fatalf("%s: instrumented module does not validate: %v", allModes[i], err)
			}
			cm.Close(ctx)
			if allModes[i] == EpochLoops && compilerSupported() {
				if cm, err = rc.CompileModule(ctx, out); err != nil {
					t.Fatalf("%s: instrumented module does not compile: %v", allModes[i], err)
				}
				cm.Close(ctx)
			}
		}
	})
}

// compilerSupported reports whether wazero's optimizing compiler runs here.
func compilerSupported() bool { return runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" }

func hasNames(wasm []byte) bool {
	secs, _ := splitSections(wasm)
	for _, s := range secs {
		if s.id == secCustom && s.name == "name" {
			return true
		}
	}
	return false
}
