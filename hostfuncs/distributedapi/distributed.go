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

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "nodes_count", Results: "i32", Fn: nodesCount},
	{Name: "get_nodes", Params: "nodes_ptr i32, nodes_len i32", Results: "i32", Fn: getNodes},
	{Name: "node_id", Results: "i64", Fn: nodeID},
	{Name: "module_id", Results: "i64", Fn: moduleID},
	{Name: "spawn", Params: "node_id i64, config_id i64, module_id i64, func_str_ptr i32, func_str_len i32, params_ptr i32, params_len i32, id_ptr i32", Results: "i32", Fn: spawn},
	{Name: "send", Params: "node_id i64, process_id i64", Results: "i32", Fn: send},
	{Name: "send_receive_skip_search", Params: "node_id i64, process_id i64, wait_on_tag i64, timeout_duration i64", Results: "i32", Fn: sendReceiveSkipSearch},
	{Name: "exec_lookup_nodes", Params: "query_ptr i32, query_len i32, query_id_ptr i32, nodes_len_ptr i32, error_ptr i32", Results: "i32", Fn: execLookupNodes},
	{Name: "copy_lookup_nodes_results", Params: "query_id i64, nodes_ptr i32, nodes_len i32, error_ptr i32", Results: "i32", Fn: copyLookupNodesResults},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
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
