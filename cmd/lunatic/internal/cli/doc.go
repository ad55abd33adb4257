// Package cli is the lunatic command line, built with cobra and kept at
// the edge: cmd/lunatic's main only calls os.Exit(cli.Main()).
//
// Commands:
//
//	lunatic run [--dir HOST[::GUEST]]… [--env K=V|K]… [--no-inherit-env]
//	            [--cache-dir DIR | --no-cache] [--bench] [-v] app.wasm [args…]
//	lunatic app.wasm [args…]          # implied run (also: lunatic --dir D app.wasm …)
//	lunatic init                      # point .cargo/config.toml at wasm + `lunatic run`
//	lunatic version | --version | -V
//	lunatic completion bash|zsh|fish|powershell
//
// Each verb follows the GitHub CLI split: a runOptions/initOptions struct
// holding dependencies and flags, newCmdX(f, runF) that only parses and
// validates, and runX(ctx, opts) doing the work without cobra. Streams, the
// host environment and the run logic come from a Factory, so tests never
// touch the real process:
//
//	f := &Factory{In: strings.NewReader(""), Out: &out, Err: &errb,
//		Environ: func() []string { return nil },
//		LookupEnv: func(string) (string, bool) { return "", false },
//		Getwd: os.Getwd,
//		Launch: func(ctx context.Context, o *RunOptions) int { got = o; return 0 }}
//	code := mainWith(ctx, []string{"--dir", "data", "app.wasm", "-x"}, f)
//
// `lunatic run` hands a RunOptions to testMode (when set) and then to
// launch, whose return value is the exit code. Main maps errors to exit
// codes in one place (exitCode): usage errors exit 2, failed commands 1.
package cli
