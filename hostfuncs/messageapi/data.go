package messageapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

func createData(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	p.SetScratch(vm.NewDataMessage(int64(stack[0]), stack[1]))
}

func writeData(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := dataScratch(p, fn)
	b := guestmem.View(m, fn, uint32(stack[0]), uint32(stack[1]))
	msg.Data = append(msg.Data, b...)
	stack[0] = uint64(uint32(len(b)))
}

func readData(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := dataScratch(p, fn)
	dst := guestmem.View(m, fn, uint32(stack[0]), uint32(stack[1]))
	if msg.Pos > uint64(len(msg.Data)) {
		vm.Throw(fn, "read position %d is past the end of the message (%d bytes)", msg.Pos, len(msg.Data))
	}
	n := copy(dst, msg.Data[msg.Pos:])
	msg.Pos += uint64(n)
	stack[0] = uint64(uint32(n))
}

func seekData(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	dataScratch(hostfunc.Caller(ctx, fn), fn).Pos = stack[0]
}

func getTag(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = uint64(scratch(hostfunc.Caller(ctx, fn), fn).Tag)
}

func getProcessID(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	msg := scratch(hostfunc.Caller(ctx, fn), fn)
	if msg.Kind == vm.KindProcessDied {
		stack[0] = msg.ProcessID
		return
	}
	stack[0] = 0
}

func dataSize(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = uint64(len(dataScratch(hostfunc.Caller(ctx, fn), fn).Data))
}
