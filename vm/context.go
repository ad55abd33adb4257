package vm

import "context"

type processKey struct{}

// withProcess returns a context that carries p; host functions find their caller with
// ProcessFrom.
func withProcess(ctx context.Context, p *Process) context.Context {
	return context.WithValue(ctx, processKey{}, p)
}

// ProcessFrom returns the process whose guest code is calling, or nil when ctx does not
// come from a process (a host module used outside of lunatic).
func ProcessFrom(ctx context.Context) *Process {
	p, _ := ctx.Value(processKey{}).(*Process)
	return p
}
