package cli

import "context"

// launch is replaced by the lead's implementation.
func launch(ctx context.Context, opts *RunOptions) int {
	opts.Stderr.Write([]byte("lunatic: runtime not wired yet\n"))
	return 1
}
