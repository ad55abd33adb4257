package distributedapi

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// nodesCount: nodes_count() -> i32, the number of live nodes (this one included), 0 when
// the runtime is not a node. See lunatic crates/lunatic-distributed-api/src/lib.rs.
func nodesCount(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	stack[0] = 0
	if n := node(p); n != nil {
		stack[0] = uint64(uint32(len(n.Nodes())))
	}
}

// getNodes: get_nodes(nodes_ptr, nodes_len) -> i32 copies up to nodes_len node ids (u64
// each) and returns how many it copied.
//
// Traps: the destination is outside memory.
func getNodes(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	ptr, capacity := uint32(stack[0]), uint32(stack[1])
	var ids []uint64
	if n := node(p); n != nil {
		ids = n.Nodes()
	}
	stack[0] = uint64(writeIDs(m, fn, ptr, capacity, ids))
}

// writeIDs copies min(capacity, len(ids)) ids to ptr and returns the count.
func writeIDs(m api.Module, fn string, ptr, capacity uint32, ids []uint64) uint32 {
	k := min(uint64(capacity), uint64(len(ids)))
	guestmem.CheckRange(m, fn, ptr, 8*k)
	for i := uint64(0); i < k; i++ {
		guestmem.WriteU64(m, fn, ptr+uint32(8*i), ids[i])
	}
	return uint32(k)
}

// nodeID: node_id() -> i64, this node's id, 0 when the runtime is not a node. lunatic-rs
// compares it with a process handle's node to choose between a local and a remote send.
func nodeID(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	stack[0] = 0
	if n := node(p); n != nil {
		stack[0] = n.ID()
	}
}

// moduleID: module_id() -> i64, the cluster-wide id of the caller's module; 0 when the
// runtime is not a node or the module was compiled by a guest (it cannot be shipped).
func moduleID(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	stack[0] = 0
	if n := node(p); n != nil {
		stack[0] = n.ModuleID(p.Module())
	}
}

// queries holds a process's node-lookup results until it copies them out.
type queries struct {
	next    uint64
	results map[uint64][]uint64
}

var queryKey = vm.NewLocalKey[queries]("distributed lookup results")

// execLookupNodes: exec_lookup_nodes(query_ptr, query_len, query_id_ptr, nodes_len_ptr,
// error_ptr) -> i32 finds the live nodes whose tags match a URL query ("k=v&k2=v2"; ""
// matches all). On success it keeps the result under a new query id (from 1), writes
// that id and the node count (8 bytes each) and returns 0; a malformed query writes an
// error id to error_ptr and returns 1.
//
// Traps: a string or out-pointer outside memory, invalid UTF-8, not a node.
func execLookupNodes(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	query := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	idPtr, countPtr, errPtr := uint32(stack[2]), uint32(stack[3]), uint32(stack[4])
	n := mustNode(p, fn)
	ids, err := n.LookupNodes(query)
	if err != nil {
		guestmem.WriteU64(m, fn, errPtr, p.Errors().Add(err))
		stack[0] = abi.Failure
		return
	}
	guestmem.CheckRange(m, fn, idPtr, 8)
	guestmem.CheckRange(m, fn, countPtr, 8)
	q := queryKey.Get(p)
	if q.results == nil {
		q.results = make(map[uint64][]uint64)
	}
	q.next++
	q.results[q.next] = ids
	guestmem.WriteU64(m, fn, idPtr, q.next)
	guestmem.WriteU64(m, fn, countPtr, uint64(len(ids)))
	stack[0] = abi.Success
}

// copyLookupNodesResults: copy_lookup_nodes_results(query_id, nodes_ptr, nodes_len,
// error_ptr) -> i32 hands out a lookup result once: it copies up to nodes_len ids and
// returns how many; an unknown or already consumed query id writes an error id to
// error_ptr and returns -1.
//
// Traps: the destination is outside memory, not a node.
func copyLookupNodesResults(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	id, ptr, capacity, errPtr := stack[0], uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	mustNode(p, fn)
	q := queryKey.Get(p)
	ids, ok := q.results[id]
	if !ok {
		guestmem.WriteU64(m, fn, errPtr, p.Errors().Add(fmt.Errorf("invalid query id %d", id)))
		stack[0] = api.EncodeI32(-1)
		return
	}
	delete(q.results, id)
	stack[0] = uint64(writeIDs(m, fn, ptr, capacity, ids))
}
