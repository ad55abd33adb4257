// Package distributedapi implements lunatic::distributed for a runtime that is not part of
// a cluster: node_id and module_id are 0, there are no other nodes, and the calls that
// address another node trap, as in the original (../shared/abi/distributed.md §2).
package distributedapi

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
const ModuleName = abi.ModuleDistributed

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "nodes_count", Results: t{i32}, Fn: zero},
	{Name: "get_nodes", Params: t{i32, i32}, ParamNames: []string{"nodes_ptr", "nodes_len"}, Results: t{i32}, Fn: getNodes},
	{Name: "node_id", Results: t{i64}, Fn: zero},
	{Name: "module_id", Results: t{i64}, Fn: zero},
	{Name: "spawn", Params: t{i64, i64, i64, i32, i32, i32, i32, i32}, ParamNames: []string{"node_id", "config_id", "module_id", "func_str_ptr", "func_str_len", "params_ptr", "params_len", "id_ptr"}, Results: t{i32}, Fn: spawn},
	{Name: "send", Params: t{i64, i64}, ParamNames: []string{"node_id", "process_id"}, Results: t{i32}, Fn: notDistributed("send")},
	{Name: "send_receive_skip_search", Params: t{i64, i64, i64, i64}, ParamNames: []string{"node_id", "process_id", "wait_on_tag", "timeout_duration"}, Results: t{i32}, Fn: notDistributed("send_receive_skip_search")},
	{Name: "exec_lookup_nodes", Params: t{i32, i32, i32, i32, i32}, ParamNames: []string{"query_ptr", "query_len", "query_id_ptr", "nodes_len_ptr", "error_ptr"}, Results: t{i32}, Fn: execLookupNodes},
	{Name: "copy_lookup_nodes_results", Params: t{i64, i32, i32, i32}, ParamNames: []string{"query_id", "nodes_ptr", "nodes_len", "error_ptr"}, Results: t{i32}, Fn: notDistributed("copy_lookup_nodes_results")},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}

const notInitialized = "distributed is not initialized: this runtime is not a node of a cluster"

func zero(_ context.Context, _ api.Module, stack []uint64) { stack[0] = 0 }

func getNodes(ctx context.Context, m api.Module, stack []uint64) {
	const fn = ns + "get_nodes"
	hostfunc.Caller(ctx, fn)
	guestmem.CheckRange(m, fn, uint32(stack[0]), 0)
	stack[0] = 0
}

func notDistributed(name string) api.GoModuleFunc {
	fn := ns + name
	return func(ctx context.Context, _ api.Module, _ []uint64) {
		hostfunc.Caller(ctx, fn)
		vm.Throw(fn, notInitialized)
	}
}

// spawn checks the spawn permission first, then the arguments, and then traps because
// there is no other node (distributed.md §2.5, order of checks).
func spawn(ctx context.Context, m api.Module, stack []uint64) {
	const fn = ns + "spawn"
	p := hostfunc.Caller(ctx, fn)
	if p.Config().AllowSpawn() != nil {
		vm.Throw(fn, "the process config does not allow spawning processes")
	}
	guestmem.String(m, fn, uint32(stack[3]), uint32(stack[4]))
	guestmem.View(m, fn, uint32(stack[5]), uint32(stack[6]))
	vm.Throw(fn, notInitialized)
}

func execLookupNodes(ctx context.Context, m api.Module, stack []uint64) {
	const fn = ns + "exec_lookup_nodes"
	hostfunc.Caller(ctx, fn)
	guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	vm.Throw(fn, notInitialized)
}
