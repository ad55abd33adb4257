package distributedapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// takeMessage empties the scratch area and returns the data message that was in it.
// The message is consumed even when a later check traps, as in the original.
//
// Traps: no message, a LinkDied/ProcessDied message, a message carrying resources
// (sockets and modules cannot travel to another node).
func takeMessage(p *vm.Process, fn string) *vm.Message {
	msg := p.TakeScratch()
	switch {
	case msg == nil:
		vm.Throw(fn, "no message in the scratch area")
	case msg.Kind != vm.KindData:
		vm.Throw(fn, "the scratch message is not a data message")
	case len(msg.Slots) > 0:
		msg.Release()
		vm.Throw(fn, "cannot send resources to remote nodes")
	}
	return msg
}

// send: send(node_id, process_id) -> i32 sends the scratch message to a process on another
// node and returns 0 at once. It never fails: a message for a process, node or
// environment that does not exist is dropped, like a local send to a dead process (the
// original traps for an unknown node; see RATIONALE "Why does a remote send to an unknown
// node not trap?"). Messages from one sender to one receiver arrive in send order.
//
// Traps: see takeMessage; the runtime is not a node.
// See lunatic crates/lunatic-distributed-api/src/lib.rs.
func send(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeMessage(p, fn)
	mustNode(p, fn).Send(p, stack[0], stack[1], msg.Tag, msg.Data)
	stack[0] = abi.Success
}

// sendReceiveSkipSearch: send_receive_skip_search(node_id, process_id, wait_on_tag,
// timeout_ms) -> i32 sends like send, then waits for the next newly arriving message
// tagged wait_on_tag (messages already in the mailbox are not examined). It returns 0 with
// the reply in the scratch area, or 9027 when timeout_ms (u64::MAX = forever) passed.
//
// Traps: as send.
func sendReceiveSkipSearch(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeMessage(p, fn)
	n := mustNode(p, fn)
	target, pid, waitTag, timeout := stack[0], stack[1], int64(stack[2]), stack[3]
	reply := p.SendReceiveVia(ctx, func() { n.Send(p, target, pid, msg.Tag, msg.Data) }, waitTag, timeout)
	if reply == nil {
		stack[0] = abi.Timeout
		return
	}
	p.SetScratch(reply)
	stack[0] = abi.Success
}
