package vm

import "context"

type processKey struct{}

// processContext is a process's context: its cancellation, plus the process itself.
// wazero hands the context a guest call started with to every host function it calls, so
// ProcessFrom finds the caller with one type check instead of a Value lookup.
type processContext struct {
	context.Context
	p *Process
}

func (c *processContext) Value(key any) any {
	if _, ok := key.(processKey); ok {
		return c.p
	}
	return c.Context.Value(key)
}

// withProcess returns a context that carries p; host functions find their caller with
// ProcessFrom.
func withProcess(ctx context.Context, p *Process) context.Context {
	return &processContext{Context: ctx, p: p}
}

// ProcessFrom returns the process whose guest code is calling, or nil when ctx does not
// come from a process (a host module used outside of lunatic).
func ProcessFrom(ctx context.Context) *Process {
	if c, ok := ctx.(*processContext); ok {
		return c.p
	}
	p, _ := ctx.Value(processKey{}).(*Process)
	return p
}
