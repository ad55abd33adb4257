package experimental

import (
	"context"

	"github.com/tetratelabs/wazero/internal/expctxkeys"
)

// StackLimiter bounds and accounts the call stack of the Wasm function calls made
// with a context that carries it (see WithStackLimiter).
//
// Each call of an exported function grows its own stack on demand. Before it grows,
// the engine asks the limiter for the extra bytes; a refusal makes the call fail
// with the "stack overflow" trap, as when the engine's own ceiling is reached. What
// a call was granted is returned with ReleaseStack when the call ends (normally or
// not), and the engine drops the grown stack then, so the bytes granted and not yet
// released are the stack memory that calls in progress hold. Nested calls (a host
// function calling back into Wasm) each ask for their own growth, so one limiter
// bounds their sum.
//
// Both methods are called on the goroutine that makes the call. The compiler
// engine asks for the bytes of its native stack; the interpreter for its value
// stack and an estimate of the frames it keeps.
type StackLimiter interface {
	// GrowStack asks for the stack of a call to grow by at least need bytes, and
	// by want bytes (want >= need) if it can. It returns the bytes granted: want,
	// or anything from need up to want, or 0 to refuse the growth.
	GrowStack(need, want uint64) uint64
	// ReleaseStack returns n bytes granted by GrowStack to a call that ended.
	ReleaseStack(n uint64)
}

// WithStackLimiter registers the given StackLimiter into the given
// context.Context. The context must be passed when calling a function (and when
// instantiating a module, for its start function).
func WithStackLimiter(ctx context.Context, limiter StackLimiter) context.Context {
	if limiter != nil {
		return context.WithValue(ctx, expctxkeys.StackLimiterKey{}, limiter)
	}
	return ctx
}
