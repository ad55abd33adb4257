package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/vm"
)

// Spawn starts a process on node (vm.Node): a request over the direct connection to the
// node when there is one (direct.go), else a request/reply on the target's spawn subject;
// either is answered once the process runs there. A spawn on this node skips both.
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
	if c := n.directTo(node); c != nil {
		b, err := c.spawn(ctx, encode(req))
		if errors.Is(err, errNotSent) {
			return n.spawnNATS(ctx, node, &req)
		}
		n.stats.spawnsDirect.Add(1)
		switch {
		case err == nil:
			var reply wireSpawnReply
			if err := decode(b, &reply); err != nil {
				return 0, fmt.Errorf("spawn on node %d: %w", node, err)
			}
			return reply.result()
		case errors.Is(err, context.Canceled):
			return 0, err
		case errors.Is(err, context.DeadlineExceeded):
			return 0, fmt.Errorf("%w: node %d did not answer a spawn within %v", vm.ErrNodeUnreachable, node, n.opts.SpawnTimeout)
		case n.members.isGone(node):
			return 0, fmt.Errorf("%w: node %d", vm.ErrNodeNotFound, node)
		default:
			// The connection broke after the request left, before its answer came: the
			// spawn may have happened; asking again through NATS could start a second
			// process.
			return 0, fmt.Errorf("%w: node %d: %v", vm.ErrNodeUnreachable, node, err)
		}
	}
	return n.spawnNATS(ctx, node, &req)
}

// spawnNATS is a remote spawn through NATS: a request/reply on the target's spawn
// subject.
func (n *Node) spawnNATS(ctx context.Context, node uint64, req *wireSpawn) (uint64, error) {
	n.stats.spawnsNATS.Add(1)
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

// serveSpawn answers a spawn request from another node that came through NATS. Each
// request gets its own goroutine: a download and compilation must not hold up other
// spawns.
func (n *Node) serveSpawn(m *nats.Msg) {
	n.closeMu.RLock()
	defer n.closeMu.RUnlock()
	if n.closing {
		return // the requester sees no answer: the node is leaving
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := m.Respond(n.serveSpawnBytes(m.Data)); err != nil {
			n.log.Warn("spawn reply lost", "error", err)
		}
	}()
}

// serveSpawnBytes runs an encoded spawn request and returns the encoded reply.
func (n *Node) serveSpawnBytes(b []byte) []byte {
	var req wireSpawn
	reply := wireSpawnReply{Code: spawnFailed}
	if err := decode(b, &req); err != nil {
		reply.Err = err.Error()
	} else {
		ctx, cancel := context.WithTimeout(n.ctx, n.opts.SpawnTimeout)
		reply = n.spawnHere(ctx, &req)
		cancel()
	}
	return encode(reply)
}

// directTo is the direct connection to node, or nil (a dial may start).
func (n *Node) directTo(node uint64) *outConn {
	if n.direct == nil {
		return nil
	}
	p := n.direct.peer(node)
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return n.direct.route(p)
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
