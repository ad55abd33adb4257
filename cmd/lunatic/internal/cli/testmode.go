package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lunatic-go/lunatic/permissions"
)

// Test mode: when cargo runs a test binary through the runner `lunatic run`, lunatic does
// what the binary's own test harness would do, with each #[lunatic::test] function run as
// its own process (see docs/abi/test-mode.md and RATIONALE.md).

// exitTestsFailed is libtest's exit status when a test failed or its command line was
// wrong.
const exitTestsFailed = 101

// testModeTiming is the timing of the runner: libtest's notice for slow tests, and how
// long a test killed for its time limit may take to stop before the runner moves on
// without it (a kill cannot interrupt every WASI call). Tests of the runner shorten them.
var testModeTiming = struct{ slowNotice, killGrace time.Duration }{60 * time.Second, 5 * time.Second}

func init() { testMode = runTestMode }

// runTestMode is the test-mode hook of `lunatic run`: it handles the run when opts name a
// test binary (see detectTestBinary) and returns the exit status.
func runTestMode(ctx context.Context, opts *RunOptions) (bool, int) {
	bin, ok := detectTestBinary(opts)
	if !ok {
		return false, 0
	}
	return true, runTests(ctx, opts, bin)
}

// runTests parses libtest's command line in opts.Args, then lists or runs the tests.
func runTests(ctx context.Context, opts *RunOptions, bin *testBinary) int {
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
func execute(ctx context.Context, opts *RunOptions, bin *testBinary, flags *testFlags,
	limits testLimits, tests []testCase, log io.Writer) (*runStats, error) {
	rt, err := newRuntime(ctx, opts)
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
func testConfig(opts *RunOptions, limits testLimits) *permissions.ProcessConfig {
	args := append([]string{filepath.Base(opts.WasmPath)}, opts.Args...)
	cfg := permissions.Root(args, envVars(opts.Env), rootPreopens(opts.Dirs))
	cfg.MaxFuel = limits.MaxFuel
	cfg.Net = opts.Limits.Net
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
