// Package registryapi implements the lunatic::registry host module: a name → process map
// shared by every process of an environment (docs/abi/registry.md).
package registryapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleRegistry

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "put", Params: "name_str_ptr i32, name_str_len i32, node_id i64, process_id i64", Fn: put},
	{Name: "get", Params: "name_str_ptr i32, name_str_len i32, node_id_ptr i32, process_id_ptr i32", Results: "i32", Fn: get},
	{Name: "remove", Params: "name_str_ptr i32, name_str_len i32", Fn: remove},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}

// The registry of a process: its environment's, or on a cluster node the cluster-wide
// one (vm.Node), so a name registered on one node is found from every node. The cluster
// registry is keyed by environment id and name.

// registryFailed traps a registry call whose cluster round trip failed; a process killed
// during the wait unwinds with its kill instead.
func registryFailed(p *vm.Process, fn string, err error) {
	p.CheckAlive()
	vm.Throw(fn, "cluster registry unavailable: %v", err)
}

func put(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	e := vm.RegEntry{Node: stack[2], Process: stack[3]}
	if n := p.Env().Runtime().Node(); n != nil {
		if err := n.RegistryPut(ctx, p.Env().ID(), name, e); err != nil {
			registryFailed(p, fn, err)
		}
		return
	}
	p.Env().Registry().Put(name, e)
}

func get(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	var e vm.RegEntry
	var found bool
	if n := p.Env().Runtime().Node(); n != nil {
		var err error
		if e, found, err = n.RegistryGet(ctx, p.Env().ID(), name); err != nil {
			registryFailed(p, fn, err)
		}
	} else {
		e, found = p.Env().Registry().Get(name)
	}
	if !found {
		stack[0] = abi.RegistryNotFound
		return
	}
	guestmem.WriteU64(m, fn, uint32(stack[2]), e.Node)
	guestmem.WriteU64(m, fn, uint32(stack[3]), e.Process)
	stack[0] = abi.RegistryFound
}

func remove(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	name := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	if n := p.Env().Runtime().Node(); n != nil {
		if err := n.RegistryRemove(ctx, p.Env().ID(), name); err != nil {
			registryFailed(p, fn, err)
		}
		return
	}
	p.Env().Registry().Remove(name)
}
