// Package distributedapi implements the lunatic::distributed host module
// (docs/abi/distributed.md).
//
// On a runtime that is a node of a cluster (vm.Runtime.Node is set, see package cluster)
// the functions address the other nodes: node_id and the node lists come from the
// cluster's membership, spawn and send reach processes on other nodes. On any other
// runtime (`lunatic run`, test mode) node_id, module_id and nodes_count are 0, get_nodes
// copies nothing, and every call that addresses another node traps, as in the original.
//
// On a node, lunatic::registry (package registryapi) and get_or_spawn use the
// cluster-wide registry of the node.
//
//	rt, _ := vm.New(ctx, vm.Options{})
//	_ = hostfuncs.InstantiateAll(ctx, rt.Wazero())
//	node, _ := cluster.Start(ctx, rt, cluster.Options{Name: "a"})
//	defer node.Close()
package distributedapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
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
	{Name: "nodes_count", Results: t{i32}, Fn: nodesCount},
	{Name: "get_nodes", Params: t{i32, i32}, ParamNames: []string{"nodes_ptr", "nodes_len"}, Results: t{i32}, Fn: getNodes},
	{Name: "node_id", Results: t{i64}, Fn: nodeID},
	{Name: "module_id", Results: t{i64}, Fn: moduleID},
	{Name: "spawn", Params: t{i64, i64, i64, i32, i32, i32, i32, i32}, ParamNames: []string{"node_id", "config_id", "module_id", "func_str_ptr", "func_str_len", "params_ptr", "params_len", "id_ptr"}, Results: t{i32}, Fn: spawn},
	{Name: "send", Params: t{i64, i64}, ParamNames: []string{"node_id", "process_id"}, Results: t{i32}, Fn: send},
	{Name: "send_receive_skip_search", Params: t{i64, i64, i64, i64}, ParamNames: []string{"node_id", "process_id", "wait_on_tag", "timeout_duration"}, Results: t{i32}, Fn: sendReceiveSkipSearch},
	{Name: "exec_lookup_nodes", Params: t{i32, i32, i32, i32, i32}, ParamNames: []string{"query_ptr", "query_len", "query_id_ptr", "nodes_len_ptr", "error_ptr"}, Results: t{i32}, Fn: execLookupNodes},
	{Name: "copy_lookup_nodes_results", Params: t{i64, i32, i32, i32}, ParamNames: []string{"query_id", "nodes_ptr", "nodes_len", "error_ptr"}, Results: t{i32}, Fn: copyLookupNodesResults},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}

const notInitialized = "distributed is not initialized: this runtime is not a node of a cluster (start it with `lunatic node`)"

// node returns the cluster membership of p's runtime, or nil.
func node(p *vm.Process) vm.Node { return p.Env().Runtime().Node() }

// mustNode returns the cluster membership of p's runtime, trapping when there is none.
func mustNode(p *vm.Process, fn string) vm.Node {
	n := node(p)
	if n == nil {
		vm.Throw(fn, notInitialized)
	}
	return n
}
