package messageapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
)

// send delivers the scratch message. It never fails: a message to a process that does not
// exist is dropped, as in the original (see vm.Environment.Send).
func send(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeScratch(p, fn)
	p.Env().Send(stack[0], msg)
	stack[0] = 0
}

func sendReceiveSkipSearch(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := takeScratch(p, fn)
	reply := p.SendReceiveSkipSearch(ctx, stack[0], msg, int64(stack[1]), stack[2])
	if reply == nil {
		stack[0] = abi.Timeout
		return
	}
	p.SetScratch(reply)
	stack[0] = 0
}

func receive(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	var tags []int64
	if n := uint32(stack[1]); n > 0 {
		tags = guestmem.I64sInto(p.TagBuffer, m, fn, uint32(stack[0]), n)
	}
	msg := p.Receive(ctx, tags, stack[2])
	if msg == nil {
		stack[0] = abi.Timeout
		return
	}
	p.SetScratch(msg)
	stack[0] = uint64(msg.Kind)
}
