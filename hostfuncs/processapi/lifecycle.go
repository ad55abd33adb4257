package processapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

func processID(ctx context.Context, _ api.Module, stack []uint64) {
	stack[0] = hostfunc.Caller(ctx, ns+"process_id").ID()
}

func environmentID(ctx context.Context, _ api.Module, stack []uint64) {
	stack[0] = hostfunc.Caller(ctx, ns+"environment_id").Env().ID()
}

func exists(ctx context.Context, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, ns+"exists")
	stack[0] = hostfunc.Bool(p.Env().Exists(stack[0]))
}

func sleepMs(ctx context.Context, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, ns+"sleep_ms").Sleep(stack[0])
}

func dieWhenLinkDies(ctx context.Context, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, ns+"die_when_link_dies").SetDieWhenLinkDies(uint32(stack[0]) != 0)
}

func link(ctx context.Context, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, ns+"link")
	p.Link(int64(stack[0]), stack[1])
}

func unlink(ctx context.Context, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, ns+"unlink").Unlink(stack[0])
}

func monitor(ctx context.Context, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, ns+"monitor").Monitor(stack[0])
}

func stopMonitoring(ctx context.Context, _ api.Module, stack []uint64) {
	hostfunc.Caller(ctx, ns+"stop_monitoring").StopMonitoring(stack[0])
}

func kill(ctx context.Context, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, ns+"kill")
	if q := p.Env().Lookup(stack[0]); q != nil {
		q.Kill(vm.ErrKilled)
	}
}
