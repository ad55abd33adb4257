package scheduler

// Value and reference type bytes accepted by wazero's default features
// (api.CoreFeaturesV2).
const (
	valI32       = 0x7f
	valI64       = 0x7e
	valF32       = 0x7d
	valF64       = 0x7c
	valV128      = 0x7b
	refFuncref   = 0x70
	refExternref = 0x6f
)

func isValType(b byte) bool {
	switch b {
	case valI32, valI64, valF32, valF64, valV128, refFuncref, refExternref:
		return true
	}
	return false
}

func isRefType(b byte) bool { return b == refFuncref || b == refExternref }

func readValType(r *reader) byte {
	b := r.byte()
	if r.err == nil && !isValType(b) {
		r.fail("unsupported value type 0x%x", b)
	}
	return b
}

func readRefType(r *reader) byte {
	b := r.byte()
	if r.err == nil && !isRefType(b) {
		r.fail("unsupported reference type 0x%x", b)
	}
	return b
}

// readLimits reads min/max limits. Shared (threads) and 64-bit (memory64)
// limits are not enabled by default in wazero and are rejected.
func readLimits(r *reader, what string) {
	switch flags := r.byte(); flags {
	case 0x00:
		r.u32()
	case 0x01:
		r.u32()
		r.u32()
	default:
		if r.err == nil {
			r.fail("unsupported %s limits flags 0x%x", what, flags)
		}
	}
}

func readTableType(r *reader) {
	readRefType(r)
	readLimits(r, "table")
}

func readMut(r *reader) {
	if b := r.byte(); b > 1 && r.err == nil {
		r.fail("invalid global mutability 0x%x", b)
	}
}
