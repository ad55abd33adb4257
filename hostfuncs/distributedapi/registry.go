package distributedapi

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// RegistryFunctions are lunatic::registry (../shared/abi/registry.md) for a runtime that
// is a node: names live in the cluster-wide registry (vm.Node), so a name registered on
// one node is found from every node. On a runtime that is not a node they use the
// environment's registry, exactly like package registryapi.
//
// The cluster registry is keyed by environment id and name. get_or_spawn
// (lunatic::process) still consults only the local registry.
var RegistryFunctions = []hostfunc.Func{
	{Name: "put", Params: t{i32, i32, i64, i64}, ParamNames: []string{"name_str_ptr", "name_str_len", "node_id", "process_id"}, Fn: registryPut},
	{Name: "get", Params: t{i32, i32, i32, i32}, ParamNames: []string{"name_str_ptr", "name_str_len", "node_id_ptr", "process_id_ptr"}, Results: t{i32}, Fn: registryGet},
	{Name: "remove", Params: t{i32, i32}, ParamNames: []string{"name_str_ptr", "name_str_len"}, Fn: registryRemove},
}

// InstantiateClusterRegistry replaces the lunatic::registry module that
// hostfuncs.InstantiateAll put into r with RegistryFunctions. `lunatic node` calls it
// before compiling any module (compiled modules keep the imports they resolved).
func InstantiateClusterRegistry(ctx context.Context, r wazero.Runtime) error {
	if old := r.Module(abi.ModuleRegistry); old != nil {
		if err := old.Close(ctx); err != nil {
			return fmt.Errorf("replace %s: %w", abi.ModuleRegistry, err)
		}
	}
	_, err := hostfunc.InstantiateFuncs(ctx, r, abi.ModuleRegistry, RegistryFunctions)
	return err
}

// registryFailed traps a registry call whose cluster round trip failed; a process killed
// during the wait unwinds with its kill instead.
func registryFailed(p *vm.Process, fn string, err error) {
	p.CheckAlive()
	vm.Throw(fn, "cluster registry unavailable: %v", err)
}

// registryPut: put(name_ptr, name_len, node_id, process_id) registers or overwrites name.
//
// Traps: the name is outside memory or not UTF-8; the cluster registry cannot be reached.
func registryPut(ctx context.Context, m api.Module, stack []uint64) {
	const fn = abi.ModuleRegistry + "::put"
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	e := vm.RegEntry{Node: stack[2], Process: stack[3]}
	n := node(p)
	if n == nil {
		p.Env().Registry().Put(name, e)
		return
	}
	if err := n.RegistryPut(ctx, p.Env().ID(), name, e); err != nil {
		registryFailed(p, fn, err)
	}
}

// registryGet: get(name_ptr, name_len, node_id_ptr, process_id_ptr) -> i32 writes the
// node and process ids registered under name and returns 0, or returns 1 when the name
// is not registered.
//
// Traps: the name is outside memory or not UTF-8; an out-pointer is outside memory (only
// checked when found); the cluster registry cannot be reached.
func registryGet(ctx context.Context, m api.Module, stack []uint64) {
	const fn = abi.ModuleRegistry + "::get"
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	var e vm.RegEntry
	var found bool
	if n := node(p); n == nil {
		e, found = p.Env().Registry().Get(name)
	} else {
		var err error
		if e, found, err = n.RegistryGet(ctx, p.Env().ID(), name); err != nil {
			registryFailed(p, fn, err)
		}
	}
	if !found {
		stack[0] = abi.RegistryNotFound
		return
	}
	guestmem.WriteU64(m, fn, uint32(stack[2]), e.Node)
	guestmem.WriteU64(m, fn, uint32(stack[3]), e.Process)
	stack[0] = abi.RegistryFound
}

// registryRemove: remove(name_ptr, name_len) deletes name; an absent name is a no-op.
//
// Traps: the name is outside memory or not UTF-8; the cluster registry cannot be reached.
func registryRemove(ctx context.Context, m api.Module, stack []uint64) {
	const fn = abi.ModuleRegistry + "::remove"
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	n := node(p)
	if n == nil {
		p.Env().Registry().Remove(name)
		return
	}
	if err := n.RegistryRemove(ctx, p.Env().ID(), name); err != nil {
		registryFailed(p, fn, err)
	}
}
