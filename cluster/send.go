package cluster

import (
	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/vm"
)

// wireOverhead is room left in a NATS message for everything but the data bytes.
const wireOverhead = 1024

// Send delivers a data message to a process on node (vm.Node). A message for this node
// skips NATS. Otherwise it is published on the target's message subject, in chunks when
// it is larger than the NATS server accepts in one message. The node's one connection and
// the target's one subscription keep every message from this node to that node in publish
// order, so per sender-receiver order holds. Nothing is reported back: like a local
// send, a message nobody receives is dropped.
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
	subject := n.subject(node, subjectMsg)
	limit := int(n.nc.MaxPayload()) - wireOverhead
	if limit <= 0 || len(data) <= limit {
		n.publish(subject, &w)
		return
	}
	w.Chunk = n.chunkID.Add(1)
	for len(data) > 0 {
		k := min(limit, len(data))
		w.Data, data = data[:k], data[k:]
		w.More = len(data) > 0
		if !n.publish(subject, &w) {
			return
		}
	}
}

func (n *Node) publish(subject string, w *wireMessage) bool {
	if err := n.nc.Publish(subject, encode(w)); err != nil {
		n.log.Warn("remote message dropped", "subject", subject, "process", w.To, "error", err)
		return false
	}
	return true
}

// chunkKey names a message arriving in chunks.
type chunkKey struct{ node, id uint64 }

// inbox reassembles chunked messages. Only the message subscription's goroutine uses it.
type inbox struct {
	partial map[chunkKey][]byte
}

// serveMessage delivers a message from another node. It runs on the subscription's
// goroutine, one message at a time, which is what keeps their order.
func (n *Node) serveMessage(m *nats.Msg) {
	var w wireMessage
	if err := decode(m.Data, &w); err != nil {
		n.log.Warn("malformed remote message dropped", "error", err)
		return
	}
	if w.Chunk != 0 {
		key := chunkKey{w.FromNode, w.Chunk}
		buf := append(n.inbox.partial[key], w.Data...)
		if w.More {
			n.inbox.partial[key] = buf
			return
		}
		delete(n.inbox.partial, key)
		w.Data = buf
	}
	env := n.lookupEnvironment(w.Env)
	if env == nil {
		return
	}
	msg := vm.NewDataMessage(w.Tag, 0)
	msg.Data = w.Data
	env.Send(w.To, msg)
}
