package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lunatic-go/lunatic/cluster"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// nodeOptions holds the dependencies and the parsed command line of `lunatic node`.
type nodeOptions struct {
	In        io.Reader
	Out, Err  io.Writer
	Environ   func() []string
	LookupEnv func(string) (string, bool)
	Logger    *slog.Logger

	WasmPath string // "" with --wait
	Args     []string
	Wait     bool
	MinNodes int

	Prometheus PrometheusOptions

	Cluster cluster.Options // NATS, Auth, Listen, ServerConfig, Name, Tags, TTL, Replicas, SpawnTimeout

	Limits     LimitOptions
	limitFlags limitFlags

	Dirs         []Preopen
	EnvFlags     []envFlag
	NoInheritEnv bool
	CacheDir     string
	NoCache      bool
	Verbose      bool
}

// nodeFlags are the raw values parse validates.
type nodeFlags struct {
	dirs, envs, tags []string
}

// newCmdNode builds `lunatic node`.
func newCmdNode(f *Factory) *cobra.Command { return newCmdNodeWith(f, nil) }

// newCmdNodeWith builds `lunatic node`. It only parses and validates; runF (runNode when
// nil) does the work.
func newCmdNodeWith(f *Factory, runF func(context.Context, *nodeOptions) error) *cobra.Command {
	opts := &nodeOptions{}
	var raw nodeFlags
	cmd := &cobra.Command{
		Use:   "node [flags] (app.wasm [args...] | --wait)",
		Short: "Run a node of a lunatic cluster",
		Long: "Start a node of a cluster of lunatic runtimes that spawn processes on each other\n" +
			"and exchange messages over NATS. With app.wasm the node runs it like `lunatic run`\n" +
			"and exits when it ends; with --wait it runs no program and serves the others until\n" +
			"interrupted.\n\n" +
			"Without --nats the node embeds its own NATS server, which opens no port unless\n" +
			"--nats-listen asks for one; with --nats it joins an existing NATS server or cluster\n" +
			"(JetStream enabled).",
		Example: "  lunatic node --wait --nats-listen 127.0.0.1:4222 --name hub\n" +
			"  lunatic node --wait --nats nats://127.0.0.1:4222 --tag role=worker\n" +
			"  lunatic node --nats nats://127.0.0.1:4222 --min-nodes 3 app.wasm",
		Args: func(_ *cobra.Command, args []string) error {
			if opts.Wait && len(args) > 0 {
				return usageErrorf("--wait runs no program, but %q was given", args[0])
			}
			if !opts.Wait && (len(args) == 0 || args[0] == "") {
				return usageErrorf("missing the .wasm file to run (or --wait to only serve the cluster)")
			}
			return nil
		},
		ValidArgsFunction: completeWasm,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.parse(raw, args); err != nil {
				return err
			}
			opts.In, opts.Out, opts.Err = f.In, f.Out, f.Err
			opts.Environ, opts.LookupEnv = f.Environ, f.LookupEnv
			opts.Logger = newLogger(f.Err, opts.Verbose)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return exitWith(runNode(cmd.Context(), opts))
		},
	}
	cmd.Flags().SetInterspersed(false)
	opts.addFlags(cmd.Flags(), &raw)
	return cmd
}

func (o *nodeOptions) addFlags(fl *pflag.FlagSet, raw *nodeFlags) {
	c := &o.Cluster
	fl.StringArrayVar(&c.NATS, "nats", nil, "join the NATS server or cluster at `URL` (repeatable; nats://user:pass@host:4222)")
	fl.StringVar(&c.Listen, "nats-listen", "", "let other nodes join this node's embedded NATS server at `HOST:PORT` (port 0: any free port)")
	fl.StringVar(&c.ServerConfig, "nats-config", "", "configure the embedded NATS server from a nats-server config `FILE`")
	fl.StringVar(&c.Auth.CredsFile, "nats-creds", "", "NATS credentials `FILE` (JWT and NKey seed)")
	fl.StringVar(&c.Auth.NKeyFile, "nats-nkey", "", "NATS NKey seed `FILE`")
	fl.StringVar(&c.Auth.TLSCert, "nats-tls-cert", "", "TLS client certificate `FILE` for NATS")
	fl.StringVar(&c.Auth.TLSKey, "nats-tls-key", "", "TLS client key `FILE` for NATS")
	fl.StringArrayVar(&c.Auth.TLSCA, "nats-tls-ca", nil, "trust the root certificates in `FILE` for NATS (repeatable)")
	fl.StringVar(&c.Direct, "direct-listen", "", "accept direct connections from other nodes (process messages and spawns without NATS) at `HOST:PORT` (default: the address NATS traffic leaves from, any free port; \"off\": none)")
	fl.StringVar(&c.DirectAdvertise, "direct-advertise", "", "the `HOST:PORT` other nodes dial for the direct path, when it is not the listening address (port 0: the listener's)")
	fl.StringVar(&c.Cluster, "cluster", cluster.DefaultCluster, "cluster `NAME`: nodes meet only nodes of the same name on one NATS")
	fl.StringVar(&c.Name, "name", "", "node `NAME` (also the tag name=NAME)")
	fl.StringArrayVar(&raw.tags, "tag", nil, "node attribute `KEY=VALUE` that lookup_nodes queries match (repeatable)")
	fl.DurationVar(&c.TTL, "ttl", cluster.DefaultTTL, "how long a silent node stays listed (when this node creates the cluster)")
	fl.IntVar(&c.Replicas, "replicas", 1, "copies of each cluster bucket on a NATS cluster (`N` ≤ 5; 3 survives the loss of one of three servers; when this node creates the buckets)")
	fl.DurationVar(&c.SpawnTimeout, "spawn-timeout", cluster.DefaultSpawnTimeout, "how long a remote spawn may take before it fails with 9027")
	fl.BoolVar(&o.Wait, "wait", false, "run no program: serve spawns and messages from other nodes until interrupted")
	fl.IntVar(&o.MinNodes, "min-nodes", 1, "start app.wasm once the cluster has `N` nodes")
	fl.StringArrayVar(&raw.dirs, "dir", nil, "grant access to host dir `HOST[::GUEST]` (repeatable)")
	fl.StringArrayVar(&raw.envs, "env", nil, "set guest variable `K=V`; a bare K copies the host's value (repeatable)")
	fl.BoolVar(&o.NoInheritEnv, "no-inherit-env", false, "do not pass the host environment to the guest")
	fl.StringVar(&o.CacheDir, "cache-dir", "", "compilation cache `DIR` (default: user cache dir/lunatic)")
	fl.BoolVar(&o.NoCache, "no-cache", false, "do not use the compilation cache")
	fl.BoolVarP(&o.Verbose, "verbose", "v", false, "print diagnostics to stderr")
	addPrometheusFlags(fl, &o.Prometheus)
	addLimitFlags(fl, &o.limitFlags)
}

// parse validates the raw flag values and positionals into o.
func (o *nodeOptions) parse(raw nodeFlags, args []string) error {
	c := &o.Cluster
	if len(c.NATS) > 0 && (c.Listen != "" || c.ServerConfig != "") {
		return usageErrorf("--nats joins existing NATS servers; --nats-listen and --nats-config configure the embedded one: use one or the other")
	}
	if o.NoCache && o.CacheDir != "" {
		return usageErrorf("--cache-dir and --no-cache cannot be used together")
	}
	if o.MinNodes < 1 {
		return usageErrorf("--min-nodes must be at least 1")
	}
	limits, err := o.limitFlags.parse()
	if err != nil {
		return err
	}
	o.Limits = limits
	c.Tags = map[string]string{}
	for _, kv := range raw.tags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usageErrorf("--tag %q: want KEY=VALUE", kv)
		}
		c.Tags[k] = v
	}
	for _, d := range raw.dirs {
		p, err := parsePreopen(d)
		if err != nil {
			return err
		}
		o.Dirs = append(o.Dirs, p)
	}
	for _, e := range raw.envs {
		ef, err := parseEnvFlag(e)
		if err != nil {
			return err
		}
		o.EnvFlags = append(o.EnvFlags, ef)
	}
	if len(args) > 0 {
		o.WasmPath, o.Args = args[0], append([]string{}, args[1:]...)
	}
	return nil
}

// runNode starts the node, runs the program (or waits for a signal) and leaves the
// cluster. The exit code is that of the program, as for `lunatic run`.
func runNode(ctx context.Context, o *nodeOptions) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := serveNode(ctx, o)
	if err != nil {
		fmt.Fprintf(o.Err, "lunatic: %v\n", err)
	}
	return code
}

func serveNode(ctx context.Context, o *nodeOptions) (int, error) {
	ro := &RunOptions{CacheDir: o.CacheDir, NoCache: o.NoCache, Verbose: o.Verbose, Logger: o.Logger, Limits: o.Limits}
	prom, err := startPrometheus(o.Prometheus, o.Logger, o.Err)
	if err != nil {
		return exitFailure, err
	}
	defer prom.stop()
	rt, err := newObservedRuntime(ctx, ro, prom)
	if err != nil {
		return exitFailure, err
	}
	copts := o.Cluster
	copts.Logger, copts.Stdout, copts.Stderr = o.Logger, o.Out, o.Err
	node, err := cluster.Start(ctx, rt, copts)
	if err != nil {
		return exitFailure, fmt.Errorf("node: %w", err)
	}
	defer node.Close()
	if prom != nil {
		node.ExportMetrics(prom.metrics)
	}
	if url := node.ClientURL(); url != "" {
		fmt.Fprintf(o.Err, "lunatic: node %d: other nodes can join with --nats %s\n", node.ID(), url)
	}
	if o.Wait {
		fmt.Fprintf(o.Err, "lunatic: node %d (%s) is serving cluster %q\n", node.ID(), nameOr(o.Cluster.Name), copts.Cluster)
		<-ctx.Done()
		return exitOK, nil
	}
	return runNodeApp(ctx, o, rt, node)
}

func nameOr(name string) string {
	if name == "" {
		return "no name"
	}
	return name
}

// runNodeApp publishes the program's module to the cluster and runs it as process 1 of
// environment 1 on this node, once the cluster has --min-nodes nodes.
func runNodeApp(ctx context.Context, o *nodeOptions, rt *vm.Runtime, node *cluster.Node) (int, error) {
	wasm, err := os.ReadFile(o.WasmPath)
	if err != nil {
		return exitFailure, fmt.Errorf("cannot read %s: %w", o.WasmPath, errors.Unwrap(err))
	}
	mod, err := rt.Compile(ctx, filepath.Base(o.WasmPath), wasm)
	if err != nil {
		return exitFailure, fmt.Errorf("%s: %w", o.WasmPath, err)
	}
	if _, err := node.PublishModule(ctx, wasm, mod); err != nil {
		return exitFailure, err
	}
	if err := node.AwaitNodes(ctx, func(ids []uint64) bool { return len(ids) >= o.MinNodes }); err != nil {
		return exitFailure, err
	}
	var host []string
	if !o.NoInheritEnv {
		host = o.Environ()
	}
	args := append([]string{filepath.Base(o.WasmPath)}, o.Args...)
	env := envVars(composeEnv(host, o.EnvFlags, o.LookupEnv, o.Logger))
	cfg := permissions.Root(args, env, rootPreopens(o.Dirs))
	cfg.Net = o.Limits.Net
	p, err := node.Environment(1).Spawn(ctx, vm.SpawnOptions{
		Module: mod, Config: cfg, Entry: "_start",
		Stdin: o.In, Stdout: o.Out, Stderr: o.Err,
	})
	if err != nil {
		return exitFailure, fmt.Errorf("%s: %w", o.WasmPath, err)
	}
	select {
	case <-p.Done():
	case <-ctx.Done():
		return exitTrap, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	return deathCode(o.WasmPath, p.Death())
}
