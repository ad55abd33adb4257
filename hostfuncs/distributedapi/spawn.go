package distributedapi

import (
	"context"
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
func spawn(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	target, configID, modID := stack[0], int64(stack[1]), stack[2]
	idPtr := uint32(stack[7])
	if p.Config().AllowSpawn() != nil {
		vm.Throw(fn, "the process config does not allow spawning processes")
	}
	o := vm.SpawnOptions{Config: p.Config()}
	o.Entry = guestmem.String(m, fn, uint32(stack[3]), uint32(stack[4]))
	o.ParamTypes, o.Params = hostfunc.DecodeParams(guestmem.View(m, fn, uint32(stack[5]), uint32(stack[6])), fn)
	if configID != -1 {
		cfg, ok := p.Configs().Get(uint64(configID))
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
		id, stack[0] = p.Errors().Add(err), spawnCode(err)
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
