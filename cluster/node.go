package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lunatic-go/lunatic/vm"
)

// protocolVersion is part of every subject; bump it when the wire types change.
const protocolVersion = "v3"

// Subject suffixes of a node.
const (
	subjectSpawn = "spawn"
	subjectMsg   = "msg"
)

// leaveTimeout bounds the goodbye of a closing node.
const leaveTimeout = 2 * time.Second

// Node is one lunatic runtime taking part in a cluster. It implements vm.Node.
type Node struct {
	rt   *vm.Runtime
	opts Options
	log  *slog.Logger
	id   uint64

	srv      *embedded // nil when joining an existing NATS
	nc       *nats.Conn
	ncClosed chan struct{}
	members  *membership
	modules  *modules
	registry jetstream.KeyValue
	subs     []*nats.Subscription
	chunkID  atomic.Uint64 // last id of a chunked message sent
	// msgSubjects caches the message subject of each node sent to (uint64 → string).
	msgSubjects sync.Map
	inbox       inbox
	direct      *direct // nil: no direct path
	fenceID     atomic.Uint64
	stats       directStats

	ctx  context.Context // ends when the node closes
	stop context.CancelFunc
	wg   sync.WaitGroup // background goroutines: membership, spawn requests

	closeMu sync.RWMutex
	closing bool // no new background goroutines once set

	envMu sync.Mutex
	envs  map[uint64]*vm.Environment

	closeOnce sync.Once
}

var _ vm.Node = (*Node)(nil)

// Start makes rt a node of a cluster: it embeds or joins NATS, takes a node id, starts
// serving spawns and messages for this node, and joins the membership. ctx bounds only
// the start; the node runs until Close.
func Start(ctx context.Context, rt *vm.Runtime, opts Options) (_ *Node, err error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	run, stop := context.WithCancel(context.Background())
	n := &Node{rt: rt, opts: o, log: o.Logger, ctx: run, stop: stop, envs: make(map[uint64]*vm.Environment)}
	n.inbox.partial = make(map[chunkKey]*partialMsg)
	defer func() {
		if err != nil {
			n.shutdown()
		}
	}()
	if len(o.NATS) == 0 {
		if n.srv, err = startServer(o); err != nil {
			return nil, err
		}
	}
	n.ncClosed = make(chan struct{})
	if n.nc, err = connect(o, n.srv, n.ncClosed); err != nil {
		return nil, err
	}
	js, err := jetstream.New(n.nc)
	if err != nil {
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	st, err := openStores(ctx, js, o.Cluster, o.TTL, o.Replicas)
	if err != nil {
		return nil, err
	}
	n.registry = st.registry
	n.modules = newModules(rt, st.modules)
	if n.id, err = newID(ctx, st.ids); err != nil {
		return nil, err
	}
	if err = n.subscribe(); err != nil {
		return nil, err
	}
	n.wg.Add(1)
	go func() { defer n.wg.Done(); n.sweepInbox() }()
	self := wireNode{Name: o.Name, Tags: o.Tags}
	listen, advertise, tlsConf, err := n.resolveDirect()
	if err != nil {
		return nil, err
	}
	if listen != "" {
		err = n.startDirect(listen, advertise, tlsConf)
		switch {
		case err != nil && o.Direct != "":
			return nil, err
		case err != nil:
			// The address picked for the user cannot be used: do without.
			n.log.Warn("no direct path; other nodes reach this one through NATS", "error", err)
		default:
			self.Direct, self.Key = n.direct.advertise, n.direct.key
		}
	}
	n.members = &membership{kv: st.nodes, self: n.id, log: n.log, onDrop: n.dropped}
	if err = n.members.join(ctx, run, self, st.ttl, &n.wg); err != nil {
		return nil, err
	}
	rt.SetNode(n)
	n.log.Debug("joined the cluster", "cluster", o.Cluster, "node", n.id, "name", o.Name, "nats", n.nc.ConnectedUrlRedacted(), "direct", n.DirectAddr())
	return n, nil
}

// dropped forgets a node that left or expired: its direct connections and its names.
func (n *Node) dropped(id uint64) {
	if n.direct != nil {
		n.direct.forget(id)
	}
	n.forgetNames(id)
}

// subscribe starts serving this node's subjects. The message subscription has no
// pending limit: like a local mailbox, it never drops a message.
func (n *Node) subscribe() error {
	msgs, err := n.nc.Subscribe(n.subject(n.id, subjectMsg), n.serveMessage)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	n.subs = append(n.subs, msgs)
	if err := msgs.SetPendingLimits(-1, -1); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	spawns, err := n.nc.Subscribe(n.subject(n.id, subjectSpawn), n.serveSpawn)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	n.subs = append(n.subs, spawns)
	// The subscriptions must be known to the server before other nodes see this one.
	if err := n.nc.Flush(); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	return nil
}

// msgSubject is the message subject of node, built once per node.
func (n *Node) msgSubject(node uint64) string {
	if s, ok := n.msgSubjects.Load(node); ok {
		return s.(string)
	}
	s := n.subject(node, subjectMsg)
	n.msgSubjects.Store(node, s)
	return s
}

// subject is the NATS subject of a node's spawn or message endpoint.
func (n *Node) subject(node uint64, kind string) string {
	return n.opts.Cluster + "." + protocolVersion + ".node." + strconv.FormatUint(node, 10) + "." + kind
}

// Close leaves the cluster (others drop this node at once), stops serving, and shuts
// down the embedded NATS server. Processes keep running in the runtime; closing the
// runtime is the caller's business.
func (n *Node) Close() error {
	var err error
	n.closeOnce.Do(func() {
		n.rt.SetNode(nil)
		if n.members != nil {
			ctx, cancel := context.WithTimeout(context.Background(), leaveTimeout)
			err = n.members.leave(ctx)
			cancel()
		}
		n.shutdown()
	})
	return err
}

// shutdown releases whatever Start got so far.
func (n *Node) shutdown() {
	n.closeMu.Lock()
	n.closing = true
	n.closeMu.Unlock()
	n.stop()
	for _, s := range n.subs {
		_ = s.Unsubscribe()
	}
	n.direct.close()
	n.wg.Wait()
	if n.nc != nil {
		// Drain flushes what this node published (its last messages) before closing.
		if err := n.nc.Drain(); err != nil {
			n.nc.Close()
		}
		select {
		case <-n.ncClosed:
		case <-time.After(leaveTimeout):
			n.nc.Close()
		}
	}
	n.srv.stop()
}

// ID is this node's id (vm.Node).
func (n *Node) ID() uint64 { return n.id }

// Name is the node's name.
func (n *Node) Name() string { return n.opts.Name }

// ClientURL is where other nodes can join this node's embedded NATS server, or "" when
// the node joined an existing NATS or its server opens no port.
func (n *Node) ClientURL() string { return n.srv.clientURL() }

// Nodes lists the live nodes, this one included (vm.Node).
func (n *Node) Nodes() []uint64 { return n.members.ids() }

// AwaitNodes blocks until ok accepts the list of live nodes (ascending, this one
// included), or ctx ends. It is how a program waits for the cluster to be complete.
func (n *Node) AwaitNodes(ctx context.Context, ok func(ids []uint64) bool) error {
	return n.members.await(ctx, ok)
}

// LookupNodes lists the live nodes whose tags match query (vm.Node).
func (n *Node) LookupNodes(query string) ([]uint64, error) { return n.members.lookup(query) }

// ModuleID is the cluster-wide id of m, or 0 (vm.Node).
func (n *Node) ModuleID(m *vm.Module) uint64 { return n.modules.id(m) }

// PublishModule makes mod, compiled here from wasm, spawnable on every node, and returns
// its cluster-wide id. The node that starts a program publishes its module.
func (n *Node) PublishModule(ctx context.Context, wasm []byte, mod *vm.Module) (uint64, error) {
	return n.modules.publish(ctx, wasm, mod)
}

// Module returns the module with the cluster-wide id, downloading and compiling it the
// first time it is asked for on this node. A module that is not in the cluster wraps
// vm.ErrModuleNotFound.
func (n *Node) Module(ctx context.Context, id uint64) (*vm.Module, error) {
	return n.modules.get(ctx, id)
}
