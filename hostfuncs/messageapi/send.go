package messageapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// send delivers the scratch message. It never fails: a message to a process that does not
// exist is dropped, as in the original (see vm.Environment.Send).
func send(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeScratch(p, fn)
	p.Env().SendFrom(p, stack[0], msg)
	stack[0] = 0
}

func sendReceiveSkipSearch(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeScratch(p, fn)
	reply, suspended := p.SendReceiveOrSuspend(ctx, stack[0], msg, int64(stack[1]), stack[2], completeSendReceive)
	if suspended {
		return // the result is completeSendReceive's when the process resumes
	}
	stack[0] = completeSendReceive(p, reply)
}

// completeSendReceive makes the reply the scratch message and returns
// send_receive_skip_search's result: 0, or the timeout code when reply is nil.
func completeSendReceive(p *vm.Process, reply *vm.Message) uint64 {
	if reply == nil {
		return abi.Timeout
	}
	p.SetScratch(reply)
	return 0
}

func receive(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	var tags []int64
	if n := uint32(stack[1]); n > 0 {
		tags = guestmem.I64sInto(p.TagBuffer, m, fn, uint32(stack[0]), n)
	}
	msg, suspended := p.ReceiveOrSuspend(ctx, tags, stack[2], completeReceive)
	if suspended {
		return // the result is completeReceive's when the process resumes
	}
	stack[0] = completeReceive(p, msg)
}

// completeReceive makes the received message the scratch message and returns receive's
// result: the message kind, or the timeout code when msg is nil.
func completeReceive(p *vm.Process, msg *vm.Message) uint64 {
	if msg == nil {
		return abi.Timeout
	}
	p.SetScratch(msg)
	return uint64(msg.Kind)
}
