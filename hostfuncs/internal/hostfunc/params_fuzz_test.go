package hostfunc

import (
	"errors"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/vm"
)

// FuzzDecodeParams feeds arbitrary spawn argument arrays (guest memory) to DecodeParams.
// It either traps with a *vm.Trap (bad type code, partial record) or returns one value
// type per 17-byte record, with one word per i32/i64 and two per v128.
func FuzzDecodeParams(f *testing.F) {
	rec := func(code byte) []byte { return append([]byte{code}, make([]byte, 16)...) }
	f.Add([]byte{})
	f.Add(rec(abi.ParamI32))
	f.Add(append(rec(abi.ParamI64), rec(abi.ParamV128)...))
	f.Add(append(rec(abi.ParamI32), 0x7f))
	f.Add(rec(0x7d))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer func() {
			if r := recover(); r != nil {
				var trap *vm.Trap
				if err, ok := r.(error); !ok || !errors.As(err, &trap) {
					t.Fatalf("panic that is not a trap: %v", r)
				}
			}
		}()
		types, vals := DecodeParams(b, "fuzz")
		if len(types) != len(b)/abi.ParamRecordSize {
			t.Fatalf("%d types from %d bytes", len(types), len(b))
		}
		words := 0
		for _, ty := range types {
			if ty == v128 {
				words += 2
			} else {
				words++
			}
		}
		if words != len(vals) {
			t.Fatalf("%d values for %d words", len(vals), words)
		}
	})
}
