package processapi

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// spawnArgs are the parameters spawn and get_or_spawn share.
type spawnArgs struct {
	link, configID, moduleID int64
	funcPtr, funcLen         uint32
	paramsPtr, paramsLen     uint32
}

// prepare runs the checks of spawn in the original's order (docs/abi/process.md, spawn) and returns the
// options for vm.Spawn. Every failure traps the caller.
func (a spawnArgs) prepare(p *vm.Process, m api.Module, fn string) vm.SpawnOptions {
	if err := p.Config().AllowSpawn(); err != nil {
		vm.Throw(fn, "the process config does not allow spawning processes")
	}
	if p.Instance() == nil {
		// The caller is the start section of a module being instantiated. Spawning from
		// it would instantiate again on the same goroutine, without bound for a module
		// that spawns itself (docs/abi/process.md, spawn).
		vm.Throw(fn, "called while the module is being instantiated")
	}
	o := vm.SpawnOptions{Module: p.Module(), Link: a.link, Parent: p}
	if a.configID != -1 {
		o.Config = config(p, fn, uint64(a.configID)).Clone()
	}
	if a.moduleID != -1 {
		mod, ok := p.Modules().Get(uint64(a.moduleID))
		if !ok {
			vm.Throw(fn, "module %d not found", uint64(a.moduleID))
		}
		o.Module = mod
	}
	o.Entry = guestmem.String(m, fn, a.funcPtr, a.funcLen)
	o.ParamTypes, o.Params = hostfunc.DecodeParams(guestmem.View(m, fn, a.paramsPtr, a.paramsLen), fn)
	return o
}

// start spawns the child; it returns the child's id or an error id (ok = false).
func start(ctx context.Context, p *vm.Process, fn string, o vm.SpawnOptions) (id uint64, ok bool) {
	child, err := p.Env().Spawn(ctx, o)
	if err != nil {
		p.CheckAlive() // a kill ended the instantiation: unwind with it
		if errors.Is(err, vm.ErrWASIContext) {
			vm.Throw(fn, "%v", err)
		}
		return p.Errors().Add(err), false
	}
	return child.ID(), true
}

func spawn(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := spawnArgs{
		link: int64(stack[0]), configID: int64(stack[1]), moduleID: int64(stack[2]),
		funcPtr: uint32(stack[3]), funcLen: uint32(stack[4]),
		paramsPtr: uint32(stack[5]), paramsLen: uint32(stack[6]),
	}
	idPtr := uint32(stack[7])
	o := a.prepare(p, m, fn)
	guestmem.CheckRange(m, fn, idPtr, 8)
	id, ok := start(ctx, p, fn, o)
	guestmem.WriteU64(m, fn, idPtr, id)
	if ok {
		stack[0] = abi.Success
	} else {
		stack[0] = abi.Failure
	}
}

func getOrSpawn(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	a := spawnArgs{
		link: int64(stack[2]), configID: int64(stack[3]), moduleID: int64(stack[4]),
		funcPtr: uint32(stack[5]), funcLen: uint32(stack[6]),
		paramsPtr: uint32(stack[7]), paramsLen: uint32(stack[8]),
	}
	nodePtr, idPtr := uint32(stack[9]), uint32(stack[10])
	guestmem.CheckRange(m, fn, nodePtr, 8)
	guestmem.CheckRange(m, fn, idPtr, 8)
	var id uint64
	var spawned bool
	node := p.Env().Runtime().NodeID()
	entry, found := lookupOrRegister(ctx, p, fn, name, func() (vm.RegEntry, bool) {
		o := a.prepare(p, m, fn)
		id, spawned = start(ctx, p, fn, o)
		return vm.RegEntry{Node: node, Process: id}, spawned
	})
	switch {
	case found:
		guestmem.WriteU64(m, fn, nodePtr, entry.Node)
		guestmem.WriteU64(m, fn, idPtr, entry.Process)
		stack[0] = abi.AlreadyRegistered
	case spawned:
		guestmem.WriteU64(m, fn, nodePtr, node)
		guestmem.WriteU64(m, fn, idPtr, id)
		stack[0] = abi.Success
	default:
		// Unlike the original, a failed spawn does not register the error id as a process.
		guestmem.WriteU64(m, fn, nodePtr, node)
		guestmem.WriteU64(m, fn, idPtr, id)
		stack[0] = abi.Failure
	}
}

// lookupOrRegister is get_or_spawn's registry step: return the entry for name, or run
// create and register what it made. The name is reserved while create runs, not the
// registry locked (vm.Registry.GetOrCreate): the child's start section runs inside create
// and may use the registry, and a kill of the caller ends the reservation with the call.
//
// On a cluster node the registry is the cluster-wide one (as lunatic::registry there);
// the local reservation still makes one node's get_or_spawn calls of a name take turns,
// but two nodes racing for one name may both spawn, and the later registration wins, as
// with two puts.
func lookupOrRegister(ctx context.Context, p *vm.Process, fn, name string, create func() (vm.RegEntry, bool)) (vm.RegEntry, bool) {
	env := p.Env()
	n := env.Runtime().Node()
	if p.Instance() == nil {
		// The caller is a start section: it cannot spawn (prepare traps), so it must not
		// wait for a spawn of the name either — that spawn may be its own instantiation.
		// A plain lookup answers whatever is registered now.
		if e, ok := lookup(ctx, p, fn, name); ok {
			return e, true
		}
		return create() // traps in prepare
	}
	if n == nil {
		e, found, err := env.Registry().GetOrCreate(ctx, name, create)
		if err != nil {
			p.CheckAlive() // the wait for another get_or_spawn of the name was cut by a kill
			vm.Throw(fn, "waiting for the registration of %q: %v", name, err)
		}
		return e, found
	}
	var found bool
	var existing vm.RegEntry
	e, _, err := env.Registry().GetOrCreate(ctx, name, func() (vm.RegEntry, bool) {
		if got, ok, err := n.RegistryGet(ctx, env.ID(), name); err == nil && ok {
			existing, found = got, true
			return got, false
		}
		e, ok := create()
		if ok {
			_ = n.RegistryPut(ctx, env.ID(), name, e)
		}
		return e, false // the cluster registry is the record; keep the local one empty
	})
	if err != nil {
		p.CheckAlive()
		vm.Throw(fn, "waiting for the registration of %q: %v", name, err)
	}
	if found {
		return existing, true
	}
	return e, false
}

// lookup reads name from the caller's registry: the environment's, or the cluster's.
func lookup(ctx context.Context, p *vm.Process, fn, name string) (vm.RegEntry, bool) {
	env := p.Env()
	if n := env.Runtime().Node(); n != nil {
		e, ok, err := n.RegistryGet(ctx, env.ID(), name)
		if err != nil {
			p.CheckAlive()
			vm.Throw(fn, "cluster registry unavailable: %v", err)
		}
		return e, ok
	}
	return env.Registry().Get(name)
}
