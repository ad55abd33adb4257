package hostfunc

import (
	"encoding/binary"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/vm"
)

// DecodeParams decodes spawn's packed argument records (a wasm value-type byte, then a
// little-endian u128) into wazero's value encoding: an i32 zero-extended, an i64 as is, a
// v128 as two words (low, high). It traps host function fn on an unsupported type code
// (checked over the complete records first) and on a trailing partial record.
func DecodeParams(b []byte, fn string) ([]api.ValueType, []uint64) {
	n := len(b) / abi.ParamRecordSize
	types := make([]api.ValueType, 0, n)
	vals := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		rec := b[i*abi.ParamRecordSize : (i+1)*abi.ParamRecordSize]
		lo := binary.LittleEndian.Uint64(rec[1:9])
		hi := binary.LittleEndian.Uint64(rec[9:17])
		switch rec[0] {
		case abi.ParamI32:
			types, vals = append(types, api.ValueTypeI32), append(vals, uint64(uint32(lo)))
		case abi.ParamI64:
			types, vals = append(types, api.ValueTypeI64), append(vals, lo)
		case abi.ParamV128:
			types, vals = append(types, v128), append(vals, lo, hi)
		default:
			vm.Throw(fn, "unsupported parameter type code %#x in argument %d", rec[0], i)
		}
	}
	if len(b)%abi.ParamRecordSize != 0 {
		vm.Throw(fn, "parameter array of %d bytes is not a multiple of %d", len(b), abi.ParamRecordSize)
	}
	return types, vals
}
