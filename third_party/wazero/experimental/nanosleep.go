package experimental

import (
	"context"

	"github.com/tetratelabs/wazero/internal/expctxkeys"
)

// CtxNanosleep sleeps for ns nanoseconds on behalf of the guest call whose context is
// ctx (lunatic patch).
type CtxNanosleep func(ctx context.Context, ns int64)

// WithNanosleep returns a context whose guest calls, and those of any context derived
// from it, sleep through f in WASI's poll_oneoff instead of their module config's
// nanosleep. Unlike ModuleConfig.WithNanosleep, f learns which call sleeps, so one
// module config can serve many instances that each sleep their own way (lunatic patch).
func WithNanosleep(ctx context.Context, f CtxNanosleep) context.Context {
	return context.WithValue(ctx, expctxkeys.NanosleepKey{}, f)
}
