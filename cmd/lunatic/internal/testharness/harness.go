package testharness

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// exitOK and exitFailure are the statuses of a run that went through, and of one that
// could not start (the module did not compile).
const (
	exitOK      = 0
	exitFailure = 1
)

// exitTestsFailed is libtest's exit status when a test failed or its command line was
// wrong.
const exitTestsFailed = 101

// testModeTiming is the timing of the runner: libtest's notice for slow tests, and how
// long a test killed for its time limit may take to stop before the runner moves on
// without it (a kill cannot interrupt every WASI call). Tests of the runner shorten them.
var testModeTiming = struct{ slowNotice, killGrace time.Duration }{60 * time.Second, 5 * time.Second}

// Options is one `lunatic run` as the harness sees it.
type Options struct {
	// WasmPath is the module to run; its base name is argv[0] of every test process.
	WasmPath string
	// Args are the arguments after the module: libtest's command line.
	Args []string
	// Env is the guest environment as "K=V" entries. The harness also reads its
	// RUST_TEST_* and LUNATIC_TEST_* settings from it, as a native test binary would.
	Env []string
	// Config is the configuration the root process of this `lunatic run` would get
	// (capabilities, environment, preopens; its Args are replaced). Every test process
	// runs with a copy of it.
	Config *permissions.ProcessConfig
	// NewRuntime builds the runtime the tests run in, with every host module.
	NewRuntime func(ctx context.Context) (*vm.Runtime, error)

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run is the test mode of `lunatic run`. When opts name a test binary (see
// detectTestBinary) it does what the binary's own libtest harness would do — parse the
// libtest command line, list or run the selected tests, each #[lunatic::test] function as
// its own process, and print as libtest prints — and returns handled = true with the exit
// status (0, or 101 when a test failed or the command line was wrong). Otherwise it
// returns handled = false and the caller runs the module as a program.
func Run(ctx context.Context, opts *Options) (handled bool, code int) {
	bin, ok := detectTestBinary(opts)
	if !ok {
		return false, 0
	}
	return true, runTests(ctx, opts, bin)
}

// runTests parses libtest's command line in opts.Args, then lists or runs the tests.
func runTests(ctx context.Context, opts *Options, bin *testBinary) int {
	flags, err := parseTestFlags(opts.Args, opts.Env)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "error: %v\n", err)
		return exitTestsFailed
	}
	if flags.Help {
		printTestHelp(opts.Stdout, opts.WasmPath)
		return exitOK
	}
	limits, err := parseTestLimits(opts.Env)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "error: %v\n", err)
		return exitTestsFailed
	}
	selected, _ := selectTests(bin.tests, flags)
	log, closeLog, err := openTestLog(flags.Logfile)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "error: %v\n", err)
		return exitTestsFailed
	}
	defer closeLog()
	if flags.List {
		listTests(opts.Stdout, selected, flags, log)
		return exitOK
	}
	st, err := execute(ctx, opts, bin, flags, limits, selected, log)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "lunatic: %v\n", err)
		return exitFailure
	}
	if st.failed > 0 {
		return exitTestsFailed
	}
	return exitOK
}

// runStats is what a finished run reports to its caller (and to tests of the runner).
type runStats struct {
	*suiteState
	peak      int // most tests that ran at the same time
	abandoned int // tests that did not stop when killed for their time limit
}

// execute compiles the module once and runs the selected tests, printing as libtest does.
func execute(ctx context.Context, opts *Options, bin *testBinary, flags *testFlags,
	limits testLimits, tests []testCase, log io.Writer) (*runStats, error) {
	rt, err := opts.NewRuntime(ctx)
	if err != nil {
		return nil, err
	}
	mod, err := rt.Compile(ctx, filepath.Base(opts.WasmPath), bin.wasm)
	if err != nil {
		_ = rt.Close(ctx)
		return nil, fmt.Errorf("%s: %w", opts.WasmPath, err)
	}
	var mu sync.Mutex
	stdout := lockedWriter{mu: &mu, w: opts.Stdout}
	s := &suite{
		rt: rt, mod: mod, cfg: testConfig(opts, limits), flags: flags, limits: limits,
		stdin: opts.Stdin, stdout: stdout, stderr: lockedWriter{mu: &mu, w: opts.Stderr},
		warnAfter: testModeTiming.slowNotice, grace: testModeTiming.killGrace,
	}
	defer s.close(ctx)
	c := &console{f: newFormatter(stdout, flags, useColor(flags, opts.Stdout)), log: log}
	c.st.showOutput = flags.ShowOutput
	if flags.Shuffle {
		seed := flags.ShuffleSeed
		c.seed = &seed
	}
	start := time.Now()
	c.runStart(len(tests))
	s.run(ctx, tests, c)
	c.st.elapsed = time.Since(start)
	c.st.filteredOut = len(bin.tests) - len(tests)
	c.finish()
	return &runStats{suiteState: &c.st, peak: int(s.peak.Load()), abandoned: int(s.abandoned.Load())}, nil
}

// testConfig is the configuration every test process gets: that of `lunatic run`'s root
// process (all capabilities, the runner's environment and preopens), with argv being the
// binary's name and the harness arguments as a native test binary sees them, and the
// fuel limit of LUNATIC_TEST_MAX_FUEL.
func testConfig(opts *Options, limits testLimits) *permissions.ProcessConfig {
	cfg := opts.Config.Clone()
	cfg.Args = append([]string{filepath.Base(opts.WasmPath)}, opts.Args...)
	cfg.MaxFuel = limits.MaxFuel
	return cfg
}

// openTestLog creates the --logfile, if any.
func openTestLog(path string) (io.Writer, func(), error) {
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot create the log file: %w", err)
	}
	return f, func() { _ = f.Close() }, nil
}
