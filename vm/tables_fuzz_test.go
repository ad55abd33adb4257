package vm

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/lunatic-go/lunatic/scheduler"
)

// FuzzLimitTables feeds mutated modules to limitTables, which rewrites guest bytes before
// anything else reads them. It must never panic; it is idempotent; and whenever wazero
// validates the input, it validates the output too.
//
// Like FuzzInstrument, the input is given to wazero only when scheduler.Instrument accepts
// it (wazero v1.12 allocates from unchecked counts, so raw fuzz bytes could make it take
// gigabytes).
func FuzzLimitTables(f *testing.F) {
	for _, path := range []string{"../hostfuncs/testdata/limits/tables.wasm", "../hostfuncs/testdata/edge.wasm"} {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x04\x04\x01\x70\x00\x01"))             // (table 1 funcref)
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x04\x06\x01\x70\x01\x01\xff\x0f"))     // (table 1 2047 funcref)
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x04\x06\x01\x70\x00\xa0\x8d\x06"))     // (table 100000 funcref)
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x04\x07\x02\x70\x00\x01\x6f\x00\x01")) // two tables
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	f.Cleanup(func() { r.Close(ctx) })
	f.Fuzz(func(t *testing.T, wasm []byte) {
		if len(wasm) < 8 {
			return
		}
		out, info := limitTables(wasm)
		again, info2 := limitTables(out)
		if !bytes.Equal(again, out) || info2 != info {
			t.Fatalf("not idempotent: %x → %x → %x", wasm, out, again)
		}
		if _, err := scheduler.Instrument(wasm); err != nil {
			return
		}
		cm, err := r.CompileModule(ctx, wasm)
		if err != nil {
			return
		}
		cm.Close(ctx)
		if _, err := scheduler.Instrument(out); err != nil {
			t.Fatalf("the rewritten module no longer instruments: %v", err)
		}
		cm, err = r.CompileModule(ctx, out)
		if err != nil {
			t.Fatalf("the rewritten module does not validate: %v", err)
		}
		cm.Close(ctx)
	})
}
