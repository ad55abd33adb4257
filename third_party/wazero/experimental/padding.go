package experimental

import (
	"context"

	"github.com/tetratelabs/wazero/internal/expctxkeys"
)

// WithFunctionPadding returns a context for CompileModule with which the compiler engine
// places pad more bytes before the code of each function (lunatic patch). The code of a
// loop runs at different speeds depending on where it falls relative to the processor's
// fetch windows and cache lines, so a benchmark that compares two modules compiles each
// at several paddings (0, 16, 32, 48) to average over layouts rather than judge one.
// The compilation cache is keyed by a module's bytes: modules compiled at different
// paddings must differ in their bytes (a custom section will do).
func WithFunctionPadding(ctx context.Context, pad int) context.Context {
	return context.WithValue(ctx, expctxkeys.FunctionPaddingKey{}, pad)
}
