package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/vm"
)

// Spawn starts a process on node (vm.Node): a request/reply on the target's spawn
// subject, answered once the process runs there. A spawn on this node skips NATS.
func (n *Node) Spawn(ctx context.Context, from *vm.Process, node, moduleID uint64, o vm.SpawnOptions) (uint64, error) {
	req := wireSpawn{
		Env: from.Env().ID(), Module: moduleID, Entry: o.Entry,
		Types: o.ParamTypes, Params: o.Params, Config: configToWire(o.Config),
	}
	ctx, cancel := context.WithTimeout(ctx, n.opts.SpawnTimeout)
	defer cancel()
	if node == n.id {
		return n.spawnHere(ctx, &req).result()
	}
	m, err := n.nc.RequestWithContext(ctx, n.subject(node, subjectSpawn), encode(req))
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return 0, fmt.Errorf("%w: node %d", vm.ErrNodeNotFound, node)
	case errors.Is(err, context.Canceled):
		return 0, err
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return 0, fmt.Errorf("%w: node %d did not answer a spawn within %v", vm.ErrNodeUnreachable, node, n.opts.SpawnTimeout)
	case err != nil:
		return 0, fmt.Errorf("%w: node %d: %v", vm.ErrNodeUnreachable, node, err)
	}
	var reply wireSpawnReply
	if err := decode(m.Data, &reply); err != nil {
		return 0, fmt.Errorf("spawn on node %d: %w", node, err)
	}
	return reply.result()
}

// result turns a reply into Spawn's results.
func (r wireSpawnReply) result() (uint64, error) {
	switch r.Code {
	case spawnOK:
		return r.Process, nil
	case spawnModuleNotFound:
		return 0, fmt.Errorf("%w (%s)", vm.ErrModuleNotFound, strings.TrimPrefix(r.Err, vm.ErrModuleNotFound.Error()+": "))
	default:
		return 0, errors.New(r.Err)
	}
}

// serveSpawn answers a spawn request from another node. Each request gets its own
// goroutine: a download and compilation must not hold up other spawns.
func (n *Node) serveSpawn(m *nats.Msg) {
	n.closeMu.RLock()
	defer n.closeMu.RUnlock()
	if n.closing {
		return // the requester sees no answer: the node is leaving
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		var req wireSpawn
		reply := wireSpawnReply{Code: spawnFailed}
		if err := decode(m.Data, &req); err != nil {
			reply.Err = err.Error()
		} else {
			ctx, cancel := context.WithTimeout(n.ctx, n.opts.SpawnTimeout)
			reply = n.spawnHere(ctx, &req)
			cancel()
		}
		if err := m.Respond(encode(reply)); err != nil {
			n.log.Warn("spawn reply lost", "error", err)
		}
	}()
}

// spawnHere starts the process a request describes on this node.
func (n *Node) spawnHere(ctx context.Context, req *wireSpawn) wireSpawnReply {
	fail := func(code uint8, err error) wireSpawnReply {
		return wireSpawnReply{Code: code, Err: err.Error()}
	}
	types, params, err := req.params()
	if err != nil {
		return fail(spawnFailed, fmt.Errorf("spawn request: %w", err))
	}
	mod, err := n.modules.get(ctx, req.Module)
	if errors.Is(err, vm.ErrModuleNotFound) {
		return fail(spawnModuleNotFound, err)
	}
	if err != nil {
		return fail(spawnFailed, err)
	}
	p, err := n.Environment(req.Env).Spawn(n.ctx, vm.SpawnOptions{
		Module: mod, Config: req.Config.config(), Entry: req.Entry,
		ParamTypes: types, Params: params,
		Stdin: strings.NewReader(""), Stdout: n.opts.Stdout, Stderr: n.opts.Stderr,
	})
	if err != nil {
		return fail(spawnFailed, fmt.Errorf("spawn on node %d: %w", n.id, err))
	}
	return wireSpawnReply{Code: spawnOK, Process: p.ID()}
}
