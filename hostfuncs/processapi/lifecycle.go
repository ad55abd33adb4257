package processapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

func processID(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = hostfunc.Caller(ctx, fn).ID()
}

func environmentID(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = hostfunc.Caller(ctx, fn).Env().ID()
}

func exists(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	stack[0] = hostfunc.Bool(p.Env().Exists(stack[0]))
}

func sleepMs(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, fn).Sleep(stack[0])
}

func dieWhenLinkDies(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, fn).SetDieWhenLinkDies(uint32(stack[0]) != 0)
}

func link(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	p.Link(int64(stack[0]), stack[1])
}

func unlink(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, fn).Unlink(stack[0])
}

func monitor(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, fn).Monitor(stack[0])
}

func stopMonitoring(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, fn).StopMonitoring(stack[0])
}

func kill(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	if q := p.Env().Lookup(stack[0]); q != nil {
		q.Kill(vm.ErrKilled)
	}
}
