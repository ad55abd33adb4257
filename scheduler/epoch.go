package scheduler

// EpochGlobalModule returns a module that exports one mutable i64 global,
// named [EpochName] and initialised to 0. Instantiated under the name
// [EpochModule], it provides the epoch that modules instrumented in [Epoch]
// mode import; the host advances it.
func EpochGlobalModule() []byte {
	out := append([]byte{}, wasmHeader...)
	// (global (mut i64) (i64.const 0))
	out = append(out, secGlobal, 6, 1, valI64, 0x01, opI64Const, 0x00, opEnd)
	// (export "epoch" (global 0))
	var exp []byte
	exp = appendName(append(exp, 1), EpochName)
	exp = append(exp, 0x03, 0x00)
	out = append(out, secExport, byte(len(exp)))
	return append(out, exp...)
}
