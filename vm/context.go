package vm

import (
	"context"

	"github.com/tetratelabs/wazero/experimental"
)

type processKey struct{}

// The keys under which wazero looks for a call's stack limiter and suspender.
var (
	stackLimiterKey = experimental.StackLimiterContextKey()
	suspenderKey    = experimental.SuspenderContextKey()
)

// processContext is a process's context: its cancellation, plus the process itself, its
// stack limiter and its suspender as values. wazero hands the
// context a guest call started with to every host function it calls, so ProcessFrom
// finds the caller with one type check instead of a Value lookup. One layer answers the
// three keys, instead of an experimental.WithStackLimiter and an
// experimental.WithSuspender layer under it (96 bytes per process less).
type processContext struct {
	context.Context
	p *Process
}

func (c *processContext) Value(key any) any {
	switch key {
	case suspenderKey:
		// Also when suspension is off (the State refuses requests then): it carries
		// the preemption of function entries (epoch.go, stackAccount.Preempt).
		return &c.p.susp
	case stackLimiterKey:
		return &c.p.stack
	case processKey{}:
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
