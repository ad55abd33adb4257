// Package testharness is the libtest-compatible test runner of `lunatic run`.
//
// When cargo runs a test binary built for wasm32 through the runner `lunatic run` (see
// `lunatic init`), lunatic does what the binary's own test harness would do: it reads
// libtest's command line (filters, --exact, --ignored, --list, --format, --test-threads,
// --shuffle, --logfile …) and RUST_TEST_* variables, finds the #[lunatic::test] functions
// among the module's exports, runs each as its own lunatic process, and prints the
// report in libtest's pretty, terse or JSON format, with its exit status.
//
// The CLI calls one function:
//
//	handled, code := testharness.Run(ctx, &testharness.Options{
//		WasmPath: path, Args: args, Env: env, Config: rootConfig,
//		NewRuntime: newRuntime, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
//	})
//
// Run declines (handled == false) when the module is not a test binary, and the CLI runs
// it as a program. See RATIONALE.md for the differences from a native test run.
package testharness
