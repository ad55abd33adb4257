package cluster

import (
	"github.com/nats-io/nats.go"

	"github.com/lunatic-go/lunatic/vm"
)

// Send delivers a data message to a process on node (vm.Node). A message for this node
// skips NATS. Otherwise it is published on the target's message subject; the node's one
// connection and the target's one subscription keep every message from this node to
// that node in publish order, so per sender-receiver order holds. Nothing is reported
// back: like a local send, a message nobody receives is dropped.
func (n *Node) Send(from *vm.Process, node, process uint64, tag int64, data []byte) {
	if node == n.id {
		msg := vm.NewDataMessage(tag, 0)
		msg.Data = data
		from.Env().Send(process, msg)
		return
	}
	w := wireMessage{Env: from.Env().ID(), From: from.ID(), To: process, Tag: tag, Data: data}
	if err := n.nc.Publish(n.subject(node, subjectMsg), encode(w)); err != nil {
		n.log.Warn("remote message dropped", "node", node, "process", process, "bytes", len(data), "error", err)
	}
}

// serveMessage delivers a message from another node. It runs on the subscription's
// goroutine, one message at a time, which is what keeps their order.
func (n *Node) serveMessage(m *nats.Msg) {
	var w wireMessage
	if err := decode(m.Data, &w); err != nil {
		n.log.Warn("malformed remote message dropped", "error", err)
		return
	}
	env := n.lookupEnvironment(w.Env)
	if env == nil {
		return
	}
	msg := vm.NewDataMessage(w.Tag, 0)
	msg.Data = w.Data
	env.Send(w.To, msg)
}
