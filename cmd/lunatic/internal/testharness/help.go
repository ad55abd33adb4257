package testharness

import (
	"fmt"
	"io"
	"path/filepath"
)

// printTestHelp prints the options of test mode (--help after a test binary's path).
func printTestHelp(w io.Writer, wasmPath string) {
	fmt.Fprintf(w, `Usage: %s [OPTIONS] [FILTERS...]

Runs the #[lunatic::test] functions of this test binary, each as its own lunatic
process, and reports like the Rust test harness (libtest).

Options:
        --include-ignored
                        Run ignored and not ignored tests
        --ignored       Run only ignored tests
        --exclude-should-panic
                        Leave out tests marked should_panic
        --test          Run tests (the default; accepted for compatibility)
        --list          List the tests instead of running them
        --logfile PATH  Also write one line per test result to PATH
        --nocapture     Let the tests' stdout and stderr through instead of
                        capturing them
        --test-threads N
                        Run at most N tests at the same time (default: all)
        --skip FILTER   Skip tests whose names contain FILTER (repeatable)
    -q, --quiet         One character per test; the same as --format terse
        --exact         Filters must equal the test name, not just occur in it
        --color auto|always|never
                        Colour the results (auto: when stdout is a terminal
                        and output is captured)
        --format pretty|terse|json
                        One line per test, one character per test, or one
                        JSON object per event
        --show-output   Also print the output of tests that pass
        --report-time   Print how long each test took
        --shuffle       Run the tests in random order
        --shuffle-seed SEED
                        Run the tests in the random order SEED gives
    -Z FLAG             Accepted and ignored (nightly-only libtest flags)
    -h, --help          Print this message

A FILTER selects the tests whose names contain it; with several, a test runs
when it matches any of them. Tests are named by their module path below the
crate, as libtest names them (tests::adds).

Environment:
    RUST_TEST_THREADS       the same as --test-threads
    RUST_TEST_NOCAPTURE     anything but 0: the same as --nocapture
    %-23s stop a test after this long (30s, 2m, or seconds)
    %-23s fuel per test process, in units of 100,000
                            instructions

The exit status is 101 when a test failed, 0 otherwise.
`, filepath.Base(wasmPath), envTestTimeout, envTestMaxFuel)
}
