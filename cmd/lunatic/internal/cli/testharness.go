package cli

import (
	"context"

	"github.com/lunatic-go/lunatic/cmd/lunatic/internal/testharness"
	"github.com/lunatic-go/lunatic/vm"
)

// testMode is asked first by every `lunatic run`: when opts name a test binary that cargo
// (or a person) runs through lunatic, the libtest-compatible harness runs its tests and
// reports handled with the exit status; launch is then not called.
func testMode(ctx context.Context, opts *RunOptions) (handled bool, code int) {
	return testharness.Run(ctx, &testharness.Options{
		WasmPath: opts.WasmPath,
		Args:     opts.Args,
		Env:      opts.Env,
		Config:   rootConfig(opts),
		NewRuntime: func(ctx context.Context) (*vm.Runtime, error) {
			return newRuntime(ctx, opts)
		},
		Stdin:  opts.Stdin,
		Stdout: opts.Stdout,
		Stderr: opts.Stderr,
	})
}
