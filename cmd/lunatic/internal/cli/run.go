package cli

import (
	"context"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Preopen is one --dir grant: the host directory and the name the guest
// opens it by.
type Preopen struct {
	Host  string // host path, as given on the command line
	Guest string // guest path; equals Host when no ::GUEST was given
}

// RunOptions is what `lunatic run` parsed; it is the whole contract between
// the command line and launch.
type RunOptions struct {
	WasmPath string
	// Args are the guest arguments after the wasm path, untouched, plus a
	// final "--bench" when --bench was given. argv[0] is added by launch
	// (= base name of WasmPath).
	Args []string
	// Dirs are the --dir grants in the order given ("." is not included;
	// launch adds it first, as the original does).
	Dirs []Preopen
	// Env is the final guest environment as "K=V" entries: the inherited
	// host environment (unless --no-inherit-env) in host order, then the
	// --env values in command-line order. Each key appears once: a later
	// value replaces an earlier one in the earlier one's position, so
	// --env overrides an inherited variable and the last --env K wins.
	Env      []string
	CacheDir string // "" = default under os.UserCacheDir()/lunatic
	NoCache  bool
	Verbose  bool
	// Prometheus configures the metrics endpoint (--prometheus).
	Prometheus PrometheusOptions
	// Limits are the runtime-wide limits and the root's network access (--net,
	// --allow-net, --max-processes, --max-total-memory, --max-stack).
	Limits LimitOptions
	// Logger is for runtime diagnostics on Stderr: Debug level with -v,
	// Warn otherwise. Never nil.
	Logger *slog.Logger

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// runOptions holds the dependencies and the parsed command line of
// `lunatic run` (gh-style: newCmdRun fills it, runRun acts on it).
type runOptions struct {
	In        io.Reader
	Out, Err  io.Writer
	Environ   func() []string
	LookupEnv func(string) (string, bool)
	Launch    func(ctx context.Context, opts *RunOptions) int
	TestMode  func(ctx context.Context, opts *RunOptions) (bool, int)
	Logger    *slog.Logger

	WasmPath     string
	Args         []string
	Dirs         []Preopen
	EnvFlags     []envFlag
	NoInheritEnv bool
	CacheDir     string
	NoCache      bool
	Verbose      bool
	Bench        bool
	Prometheus   PrometheusOptions
	Limits       LimitOptions
	limitFlags   limitFlags
}

// newCmdRun builds `lunatic run`. It only parses and validates; runF (runRun
// when nil) does the work.
func newCmdRun(f *Factory, runF func(context.Context, *runOptions) error) *cobra.Command {
	opts := &runOptions{}
	var dirs, envs []string
	cmd := &cobra.Command{
		Use:   "run [flags] app.wasm [args...]",
		Short: "Run a lunatic WebAssembly program",
		Long: "Run app.wasm as the first lunatic process. Everything after the .wasm path\n" +
			"is passed to the program untouched, including arguments that look like flags.",
		Example: "  lunatic run --dir ./data::/data --env RUST_LOG=debug app.wasm --port 8080\n" +
			"  lunatic app.wasm\n" +
			"  lunatic run -- app.wasm -x",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 || args[0] == "" {
				return usageErrorf("missing the .wasm file to run")
			}
			return nil
		},
		ValidArgsFunction: completeWasm,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.parse(dirs, envs, args); err != nil {
				return err
			}
			opts.In, opts.Out, opts.Err = f.In, f.Out, f.Err
			opts.Environ, opts.LookupEnv = f.Environ, f.LookupEnv
			opts.Launch, opts.TestMode = f.Launch, f.TestMode
			opts.Logger = newLogger(f.Err, opts.Verbose)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return exitWith(runRun(cmd.Context(), opts))
		},
	}
	// Flags stop at the first positional (the .wasm path), so the guest's own
	// flags are never taken for ours.
	cmd.Flags().SetInterspersed(false)
	opts.addFlags(cmd.Flags(), &dirs, &envs)
	return cmd
}

// addFlags declares run's flags; --dir and --env are collected raw and
// validated by parse.
func (o *runOptions) addFlags(fl *pflag.FlagSet, dirs, envs *[]string) {
	fl.StringArrayVar(dirs, "dir", nil, "grant access to host dir `HOST[::GUEST]`, seen by the guest as GUEST (default: HOST as given); repeatable")
	fl.StringArrayVar(envs, "env", nil, "set guest variable `K=V`; a bare K copies the host's value; repeatable")
	fl.BoolVar(&o.NoInheritEnv, "no-inherit-env", false, "do not pass the host environment to the guest")
	fl.StringVar(&o.CacheDir, "cache-dir", "", "compilation cache `DIR` (default: user cache dir/lunatic)")
	fl.BoolVar(&o.NoCache, "no-cache", false, "do not use the compilation cache")
	fl.BoolVar(&o.Bench, "bench", false, `append "--bench" to the guest arguments`)
	fl.BoolVarP(&o.Verbose, "verbose", "v", false, "print diagnostics to stderr")
	addPrometheusFlags(fl, &o.Prometheus)
	addLimitFlags(fl, &o.limitFlags)
}

// parse validates the raw flag values and positionals into opts.
func (o *runOptions) parse(dirs, envs, args []string) error {
	if o.NoCache && o.CacheDir != "" {
		return usageErrorf("--cache-dir and --no-cache cannot be used together")
	}
	limits, err := o.limitFlags.parse()
	if err != nil {
		return err
	}
	o.Limits = limits
	for _, d := range dirs {
		p, err := parsePreopen(d)
		if err != nil {
			return err
		}
		o.Dirs = append(o.Dirs, p)
	}
	for _, e := range envs {
		ef, err := parseEnvFlag(e)
		if err != nil {
			return err
		}
		o.EnvFlags = append(o.EnvFlags, ef)
	}
	if o.Dirs == nil {
		o.Dirs = []Preopen{}
	}
	o.WasmPath = args[0]
	o.Args = append([]string{}, args[1:]...)
	return nil
}

// runRun builds the RunOptions launch receives, gives test mode the first
// say, and returns the process exit code.
func runRun(ctx context.Context, o *runOptions) int {
	args := append([]string{}, o.Args...)
	if o.Bench {
		args = append(args, "--bench")
	}
	var host []string
	if !o.NoInheritEnv {
		host = o.Environ()
	}
	ro := &RunOptions{
		WasmPath:   o.WasmPath,
		Args:       args,
		Dirs:       append([]Preopen{}, o.Dirs...),
		Env:        composeEnv(host, o.EnvFlags, o.LookupEnv, o.Logger),
		CacheDir:   o.CacheDir,
		NoCache:    o.NoCache,
		Verbose:    o.Verbose,
		Logger:     o.Logger,
		Prometheus: o.Prometheus,
		Limits:     o.Limits,
		Stdin:      o.In,
		Stdout:     o.Out,
		Stderr:     o.Err,
	}
	if o.TestMode != nil {
		if handled, code := o.TestMode(ctx, ro); handled {
			return code
		}
	}
	return o.Launch(ctx, ro)
}

// completeWasm completes the first positional with .wasm files and leaves
// the guest's arguments to the shell's default completion.
func completeWasm(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return []string{"wasm"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return nil, cobra.ShellCompDirectiveDefault
}
