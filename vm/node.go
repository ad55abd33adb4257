package vm

import (
	"context"
	"errors"
)

// Node is a runtime's membership of a cluster of lunatic nodes: what lunatic::distributed
// and the cluster-wide registry need from it. Package cluster implements it; a runtime
// that is not a node (`lunatic run`, test mode) has none, and Runtime.Node returns nil.
//
// Processes address each other across nodes as (node id, process id); a process id is
// resolved in the environment whose id equals the sender's environment id on the target
// node (docs/abi/distributed.md).
type Node interface {
	// ID is this node's id: unique in the cluster, never 0.
	ID() uint64
	// Nodes lists the ids of the live nodes, this one included, in ascending order.
	Nodes() []uint64
	// LookupNodes lists the live nodes whose tags hold every key=value pair of query, a
	// URL query string ("name=a&role=worker"); an empty query matches every node.
	LookupNodes(query string) ([]uint64, error)
	// ModuleID is the cluster-wide id of m, or 0 when m was never published (modules a
	// guest compiled at run time).
	ModuleID(m *Module) uint64
	// Spawn starts a process on node from the module with the cluster-wide id moduleID and
	// returns its id there. o gives Config (never nil), Entry, ParamTypes and Params;
	// Module, Parent and Link are ignored. Failures the guest can handle wrap
	// ErrNodeNotFound, ErrModuleNotFound or ErrNodeUnreachable; any other error is a spawn
	// failure on the target (compilation, instantiation). ctx ends the wait early.
	Spawn(ctx context.Context, from *Process, node, moduleID uint64, o SpawnOptions) (uint64, error)
	// Send delivers a data message (tag, bytes; no resources) to process on node, in the
	// environment of from. It never fails: like a local send, a message nobody can receive
	// is dropped. Messages from one sender to one receiver arrive in send order.
	Send(from *Process, node, process uint64, tag int64, data []byte)
	// RegistryPut, RegistryGet and RegistryRemove are the cluster-wide process registry of
	// the environment env (lunatic::registry on a node).
	RegistryPut(ctx context.Context, env uint64, name string, e RegEntry) error
	RegistryGet(ctx context.Context, env uint64, name string) (e RegEntry, found bool, err error)
	RegistryRemove(ctx context.Context, env uint64, name string) error
}

// Errors a Node's Spawn reports for failures the guest gets a code for.
var (
	// ErrNodeNotFound: no live node has the requested id.
	ErrNodeNotFound = errors.New("node does not exist")
	// ErrModuleNotFound: the target node could not find the module id in the cluster.
	ErrModuleNotFound = errors.New("module does not exist")
	// ErrNodeUnreachable: the target node did not answer in time, or NATS could not
	// carry the request.
	ErrNodeUnreachable = errors.New("the node could not be reached")
)

// nodeRef holds a Runtime's Node in an atomic pointer.
type nodeRef struct{ n Node }

// SetNode makes the runtime a node of a cluster (n != nil) or takes it out (n == nil).
// The cluster calls it once when it starts and with nil when it stops.
func (r *Runtime) SetNode(n Node) {
	if n == nil {
		r.node.Store(nil)
		return
	}
	r.node.Store(&nodeRef{n: n})
}

// Node is the runtime's cluster membership, or nil when the runtime is not a node.
func (r *Runtime) Node() Node {
	if ref := r.node.Load(); ref != nil {
		return ref.n
	}
	return nil
}

// NodeID is the id of the runtime's node, or 0 when it is not a node.
func (r *Runtime) NodeID() uint64 {
	if n := r.Node(); n != nil {
		return n.ID()
	}
	return 0
}

// SendReceiveVia is SendReceiveSkipSearch with the send done by send (a send to a process
// on another node): the waiter for waitTag is in place before send runs, so a reply
// cannot slip past it. It returns the reply, or nil on timeout.
func (p *Process) SendReceiveVia(ctx context.Context, send func(), waitTag int64, timeoutMs uint64) *Message {
	return p.sendReceive(ctx, send, 0, nil, waitTag, timeoutMs)
}
