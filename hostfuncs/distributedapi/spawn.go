package distributedapi

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// spawnModuleNotFound is what spawn returns when the module is not in the cluster.
const spawnModuleNotFound = 2

// spawn: spawn(node_id, config_id, module_id, func_ptr, func_len, params_ptr, params_len,
// id_ptr) -> i32 starts func(params) from module module_id on node node_id, with the
// caller's config (config_id = -1) or a copy of a config from its table. It waits until
// the process runs there and writes its id (on that node) to id_ptr: 0. Otherwise it
// writes an error id there and returns 1 (no such node, or the spawn failed there: the
// module does not compile, the memory limit is too small, …), 2 (the module is not in the
// cluster: module_id 0, or a module compiled at run time) or 9027 (the node did not
// answer within the spawn timeout). The original traps for most of these (🐞, see
// RATIONALE "Why does a failed remote spawn return a code instead of trapping?").
//
// Traps, in this order: the caller may not spawn; the name or the parameters are outside
// memory, the name is not UTF-8, a parameter record has an unknown type or is cut short;
// config_id is not in the caller's table; the runtime is not a node; id_ptr is outside
// memory. See lunatic crates/lunatic-distributed-api/src/lib.rs.
func spawn(ctx context.Context, m api.Module, stack []uint64) {
	const fn = ns + "spawn"
	p := hostfunc.Caller(ctx, fn)
	target, configID, modID := stack[0], int64(stack[1]), stack[2]
	idPtr := uint32(stack[7])
	if p.Config().AllowSpawn() != nil {
		vm.Throw(fn, "the process config does not allow spawning processes")
	}
	o := vm.SpawnOptions{Config: p.Config()}
	o.Entry = guestmem.String(m, fn, uint32(stack[3]), uint32(stack[4]))
	o.ParamTypes, o.Params = decodeParams(guestmem.View(m, fn, uint32(stack[5]), uint32(stack[6])), fn)
	if configID != -1 {
		cfg, ok := p.Configs.Get(uint64(configID))
		if !ok {
			vm.Throw(fn, "config %d not found", uint64(configID))
		}
		o.Config = cfg.Clone()
	}
	n := mustNode(p, fn)
	guestmem.CheckRange(m, fn, idPtr, 8)
	id, err := n.Spawn(ctx, p, target, modID, o)
	if err != nil && ctx.Err() != nil {
		p.CheckAlive() // killed while waiting: unwind
	}
	stack[0] = abi.Success
	if err != nil {
		id, stack[0] = p.Errors.Add(err), spawnCode(err)
	}
	guestmem.WriteU64(m, fn, idPtr, id)
}

// spawnCode is the result code of a failed remote spawn.
func spawnCode(err error) uint64 {
	switch {
	case errors.Is(err, vm.ErrModuleNotFound):
		return spawnModuleNotFound
	case errors.Is(err, vm.ErrNodeUnreachable):
		return abi.Timeout
	default:
		return abi.Failure
	}
}

// valueTypeV128 is wasm's v128 type code, which wazero's public api package does not name.
const valueTypeV128 api.ValueType = 0x7b

// decodeParams decodes the 17-byte argument records (type code, u128 little-endian) into
// wazero's value encoding. Like a local spawn, it traps on a record cut short, where the
// original ignores it (RATIONALE "Why does a cut-short parameter record trap in a remote
// spawn?").
func decodeParams(b []byte, fn string) ([]api.ValueType, []uint64) {
	if len(b)%abi.ParamRecordSize != 0 {
		vm.Throw(fn, "parameter array of %d bytes is not a multiple of %d", len(b), abi.ParamRecordSize)
	}
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
			types, vals = append(types, valueTypeV128), append(vals, lo, hi)
		default:
			vm.Throw(fn, "unsupported parameter type code %#x in argument %d", rec[0], i)
		}
	}
	return types, vals
}
