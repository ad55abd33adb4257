package cluster

import (
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/vm"
)

// wireOverhead is room left in a NATS message for everything but the data bytes.
const wireOverhead = 1024

// Send delivers a data message to a process on node (vm.Node). A message for this node
// skips NATS. Otherwise it goes over the direct connection to node when there is one
// (direct.go), else it is published on the target's message subject; either way in
// chunks when it is larger than one NATS message or direct frame carries. A message from
// one sender to one receiver leaves on one path at a time, behind everything the sender
// gave the other path before (direct.go), so per sender-receiver order holds. Nothing is
// reported back: like a local send, a message nobody receives is dropped.
//
// Node 0 means this node: it is the node id of a process handle made where the runtime
// was not (yet) known to be a node, such as the one get_or_spawn reports.
func (n *Node) Send(from *vm.Process, node, process uint64, tag int64, data []byte) {
	if node == n.id || node == 0 {
		msg := vm.NewDataMessage(tag, 0)
		msg.Data = data
		from.Env().Send(process, msg)
		return
	}
	w := wireMessage{Env: from.Env().ID(), FromNode: n.id, From: from.ID(), To: process, Tag: tag, Data: data}
	if n.direct == nil {
		n.sendNATS(node, &w)
		return
	}
	var p *peer
	for {
		if p = n.direct.peer(node); p == nil {
			if n.direct.sendUnknown(node, &w) {
				return
			}
			continue
		}
		p.mu.Lock()
		if !p.gone {
			break
		}
		p.mu.Unlock() // the node left meanwhile
	}
	if c := n.direct.route(p); c != nil {
		if write, err := n.sendDirect(c, &w); err == nil {
			p.mu.Unlock()
			n.stats.sentDirect.Add(1)
			if write {
				c.writeOut()
			}
			return
		}
		// The connection broke: this message and the next take NATS.
		p.conn = nil
		n.stats.fallbacks.Add(1)
	}
	n.sendNATS(node, &w)
	p.mu.Unlock()
}

// sendDirect queues w on a direct connection, in chunks when it is large; true when the
// caller must write it out (writer.enqueue).
func (n *Node) sendDirect(c *outConn, w *wireMessage) (bool, error) {
	data := w.Data
	if len(data) <= directChunk {
		return c.enqueue(frameMsg, w.appendMsgpack)
	}
	w.Chunk = n.chunkID.Add(1)
	for len(data) > 0 {
		k := min(directChunk, len(data))
		w.Data, data = data[:k], data[k:]
		w.More = len(data) > 0
		write, err := c.enqueue(frameMsg, w.appendMsgpack)
		if err != nil {
			return false, err
		}
		if write {
			c.writeOut()
		}
		w.Offset += uint64(k)
	}
	return false, nil
}

// sendNATS publishes w on node's message subject, in chunks when it is larger than the
// NATS server accepts in one message.
func (n *Node) sendNATS(node uint64, w *wireMessage) {
	n.stats.sentNATS.Add(1)
	subject := n.msgSubject(node)
	data := w.Data
	limit := int(n.nc.MaxPayload()) - wireOverhead
	if limit <= 0 || len(data) <= limit {
		n.publish(subject, w)
		return
	}
	w.Chunk = n.chunkID.Add(1)
	for len(data) > 0 {
		k := min(limit, len(data))
		w.Data, data = data[:k], data[k:]
		w.More = len(data) > 0
		if !n.publish(subject, w) {
			return // the receiver drops the part it has once it is stale
		}
		w.Offset += uint64(k)
	}
}

// wireBufs holds encoding buffers of remote messages: Publish copies the bytes into the
// connection's buffer, so one is free again once Publish returns.
var wireBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func (n *Node) publish(subject string, w *wireMessage) bool {
	bp := wireBufs.Get().(*[]byte)
	*bp = w.appendMsgpack((*bp)[:0])
	err := n.nc.Publish(subject, *bp)
	if cap(*bp) <= 64<<10 {
		wireBufs.Put(bp)
	}
	if err != nil {
		n.log.Warn("remote message dropped", "subject", subject, "process", w.To, "error", err)
		return false
	}
	return true
}

// chunkKey names a message arriving in chunks.
type chunkKey struct{ node, id uint64 }

// staleChunks is how long a partly received message waits for its next chunk before it
// is dropped. A sender publishes the chunks of a message one after the other, so a longer
// wait means the rest is not coming: the sender died, or its connection lost them.
const staleChunks = time.Minute

// inbox reassembles chunked messages. NATS delivers at most once: a chunk can be lost
// (the receiving connection was cut as a slow consumer, the sender lost its connection),
// so each chunk says where it goes, and a message with a hole is dropped, like a local
// message to a process that does not exist, never delivered damaged.
type inbox struct {
	mu      sync.Mutex
	partial map[chunkKey]*partialMsg
}

// partialMsg is the part of a chunked message received so far.
type partialMsg struct {
	data []byte
	seen time.Time // when its last chunk arrived
}

// add takes one chunk that arrived at now; it returns the whole message once its last
// chunk is in. A chunk that does not start where the part received so far ends drops the
// message (and the chunks still to come, which cannot fit either).
func (b *inbox) add(w *wireMessage, now time.Time) ([]byte, bool) {
	key := chunkKey{w.FromNode, w.Chunk}
	b.mu.Lock()
	defer b.mu.Unlock()
	pm := b.partial[key]
	var have uint64
	if pm != nil {
		have = uint64(len(pm.data))
	}
	if w.Offset != have {
		delete(b.partial, key)
		return nil, false
	}
	if !w.More {
		delete(b.partial, key)
		if pm == nil {
			return w.Data, true
		}
		return append(pm.data, w.Data...), true
	}
	if pm == nil {
		pm = &partialMsg{}
		b.partial[key] = pm
	}
	pm.data = append(pm.data, w.Data...)
	pm.seen = now
	return nil, false
}

// sweep drops the partly received messages whose last chunk arrived before cutoff and
// returns how many it dropped.
func (b *inbox) sweep(cutoff time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for key, pm := range b.partial {
		if pm.seen.Before(cutoff) {
			delete(b.partial, key)
			n++
		}
	}
	return n
}

// sweepInbox drops stale partial messages until the node closes.
func (n *Node) sweepInbox() {
	t := time.NewTicker(staleChunks / 2)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case now := <-t.C:
			if k := n.inbox.sweep(now.Add(-staleChunks)); k > 0 {
				n.log.Warn("incomplete remote messages dropped", "count", k, "after", staleChunks)
			}
		}
	}
}

// serveMessage delivers a message from another node that came through NATS. It runs on
// the subscription's goroutine, one message at a time, which is what keeps their order.
// A fence of the direct path is recorded, not delivered.
func (n *Node) serveMessage(m *nats.Msg) {
	var w wireMessage
	if err := w.decodeMsgpack(m.Data); err != nil {
		n.log.Warn("malformed remote message dropped", "error", err)
		return
	}
	if n.direct != nil {
		n.direct.natsFrom(w.FromNode, w.Fence)
	}
	if w.Fence != 0 {
		return
	}
	n.deliver(&w, false)
}
