package testharness

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// summary renders libtest's last line plus the blank line after it (time normalised).
func summary(word string, passed, failed, ignored, filtered int) string {
	return fmt.Sprintf("\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out; finished in 0.00s\n\n",
		word, passed, failed, ignored, filtered)
}

// Every libtest flag that selects or reports tests, run on the suite binary with exact
// expected stdout (durations normalised) and exit code.
func TestTestMode_flags(t *testing.T) {
	sections := suiteSections()
	cases := []struct {
		name   string
		args   []string
		env    []string
		stdout string
		code   int
	}{
		{
			name: "one filter matches as a substring",
			args: []string{"passes", "--test-threads=1"},
			stdout: "\nrunning 2 tests\ntest nested::inner_passes ... ok\ntest passes ... ok\n" +
				summary("ok", 2, 0, 0, 14),
		},
		{
			name: "several filters: any may match",
			args: []string{"exits_zero", "--test-threads", "1", "inner"},
			stdout: "\nrunning 2 tests\ntest exits_zero ... ok\ntest nested::inner_passes ... ok\n" +
				summary("ok", 2, 0, 0, 14),
		},
		{
			name:   "--exact",
			args:   []string{"--exact", "passes"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--exact with a module path",
			args:   []string{"nested::inner_passes", "--exact"},
			stdout: "\nrunning 1 test\ntest nested::inner_passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--exact and no filter runs everything, like libtest",
			args:   []string{"--exact", "--list", "--format", "terse"},
			stdout: strings.Join(suiteNames(), ": test\n") + ": test\n",
		},
		{
			name:   "--skip, repeated",
			args:   []string{"pa", "--skip", "nested", "--skip=should_panic", "--skip=spawns"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--ignored runs only ignored tests",
			args:   []string{"--ignored"},
			stdout: "\nrunning 1 test\ntest ignored ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--include-ignored runs them with the others",
			args:   []string{"--include-ignored", "ignored", "exits_zero", "--test-threads=1"},
			stdout: "\nrunning 2 tests\ntest exits_zero ... ok\ntest ignored ... ok\n" + summary("ok", 2, 0, 0, 14),
		},
		{
			name:   "ignored tests are reported, not run",
			args:   []string{"ignored"},
			stdout: "\nrunning 1 test\ntest ignored ... ignored\n" + summary("ok", 0, 0, 1, 15),
		},
		{
			name: "--exclude-should-panic",
			args: []string{"--exclude-should-panic", "--list"},
			stdout: "exits_nonzero: test\nexits_zero: test\nfails: test\nignored: test\nnested::inner_passes: test\n" +
				"passes: test\nprints_a_lot: test\nspawns_child: test\ntraps: test\nwrites_stderr: test\n\n10 tests, 0 benchmarks\n",
		},
		{
			name: "--show-output prints the output of passing tests",
			args: []string{"--show-output", "passes", "spawns_child", "--test-threads", "1"},
			stdout: "\nrunning 3 tests\ntest nested::inner_passes ... ok\ntest passes ... ok\ntest spawns_child ... ok\n" +
				block("successes", map[string]string{
					"passes":       "hello from passes\n",
					"spawns_child": "child of spawns_child says hi\nchild answered for spawns_child\n",
				}, []string{"nested::inner_passes", "passes", "spawns_child"}) +
				summary("ok", 3, 0, 0, 13),
		},
		{
			name: "--show-output with failures prints both blocks",
			args: []string{"--show-output", "--exact", "passes", "exits_nonzero", "--test-threads", "1"},
			stdout: "\nrunning 2 tests\ntest exits_nonzero ... FAILED\ntest passes ... ok\n" +
				block("successes", map[string]string{"passes": "hello from passes\n"}, []string{"passes"}) +
				block("failures", sections, []string{"exits_nonzero"}) +
				summary("FAILED", 1, 1, 0, 14),
			code: 101,
		},
		{
			name: "should_panic that did not panic",
			args: []string{"should_panic_no_panic"},
			stdout: "\nrunning 1 test\ntest should_panic_no_panic - should panic ... FAILED\n" +
				block("failures", sections, []string{"should_panic_no_panic"}) +
				summary("FAILED", 0, 1, 0, 15),
			code: 101,
		},
		{
			name: "should_panic with expected text: old and new panic formats, escaped #",
			args: []string{"should_panic_", "--skip", "no_panic", "--skip", "wrong", "--test-threads", "1"},
			stdout: "\nrunning 4 tests\n" +
				"test should_panic_any - should panic ... ok\n" +
				"test should_panic_expected - should panic ... ok\n" +
				"test should_panic_hash - should panic ... ok\n" +
				"test should_panic_new_format - should panic ... ok\n" +
				summary("ok", 4, 0, 0, 12),
		},
		{
			name:   "--list",
			args:   []string{"--list", "exits"},
			stdout: "exits_nonzero: test\nexits_zero: test\n\n2 tests, 0 benchmarks\n",
		},
		{
			name:   "--list with nothing selected",
			args:   []string{"--list", "nothing-has-this-name"},
			stdout: "0 tests, 0 benchmarks\n",
		},
		{
			name:   "--list --ignored",
			args:   []string{"--list", "--ignored"},
			stdout: "ignored: test\n\n1 test, 0 benchmarks\n",
		},
		{
			name:   "--list --format terse (what IDEs and cargo-nextest ask)",
			args:   []string{"--list", "--format", "terse"},
			stdout: strings.Join(suiteNames(), ": test\n") + ": test\n",
		},
		{
			name: "-q is the terse format",
			args: []string{"-q", "--test-threads", "1", "--skip", "prints_a_lot"},
			stdout: "\nrunning 15 tests\n" +
				"exits_nonzero --- FAILED\n" +
				". 2/15\nfails --- FAILED\n" +
				"i...... 10/15\nshould_panic_no_panic --- FAILED\n" +
				"should_panic_wrong_message --- FAILED\n" +
				". 13/15\ntraps --- FAILED\n" +
				"writes_stderr --- FAILED\n" +
				block("failures", sections, []string{"exits_nonzero", "fails", "should_panic_no_panic", "should_panic_wrong_message", "traps", "writes_stderr"}) +
				summary("FAILED", 8, 6, 1, 1),
			code: 101,
		},
		{
			name:   "--quiet with only passing tests",
			args:   []string{"--quiet", "passes", "--test-threads", "1"},
			stdout: "\nrunning 2 tests\n..\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 14 filtered out; finished in 0.00s\n\n",
		},
		{
			name:   "--format terse",
			args:   []string{"--format", "terse", "ignored"},
			stdout: "\nrunning 1 test\ni\ntest result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 15 filtered out; finished in 0.00s\n\n",
		},
		{
			name:   "--format pretty wins over -q",
			args:   []string{"-q", "--format=pretty", "--exact", "passes"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name: "--color always",
			args: []string{"--color", "always", "--exact", "passes", "exits_nonzero", "ignored", "--test-threads=1"},
			stdout: "\nrunning 3 tests\n" +
				"test exits_nonzero ... \x1b[31mFAILED\x1b[0m\n" +
				"test ignored ... \x1b[33mignored\x1b[0m\n" +
				"test passes ... \x1b[32mok\x1b[0m\n" +
				block("failures", sections, []string{"exits_nonzero"}) +
				"\ntest result: \x1b[31mFAILED\x1b[0m. 1 passed; 1 failed; 1 ignored; 0 measured; 13 filtered out; finished in 0.00s\n\n",
			code: 101,
		},
		{
			name:   "--color always, terse",
			args:   []string{"--color=always", "-q", "--exact", "passes"},
			stdout: "\nrunning 1 test\n\x1b[32m.\x1b[0m\ntest result: \x1b[32mok\x1b[0m. 1 passed; 0 failed; 0 ignored; 0 measured; 15 filtered out; finished in 0.00s\n\n",
		},
		{
			name:   "--color never",
			args:   []string{"--color", "never", "--exact", "passes"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--color auto is plain when stdout is not a terminal",
			args:   []string{"--color", "auto", "--exact", "passes"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "-Z options are ignored, known or not",
			args:   []string{"-Z", "unstable-options", "-Zsome-future-flag", "--exact", "passes"},
			stdout: "\nrunning 1 test\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15),
		},
		{
			name:   "--test, --force-run-in-process and -- are accepted",
			args:   []string{"--test", "--force-run-in-process", "--", "--exact"},
			stdout: "\nrunning 0 tests\n" + summary("ok", 0, 0, 0, 16),
		},
		{
			name:   "RUST_TEST_THREADS=1 runs one test at a time",
			args:   []string{"passes"},
			env:    []string{"RUST_TEST_THREADS=1"},
			stdout: "\nrunning 2 tests\ntest nested::inner_passes ... ok\ntest passes ... ok\n" + summary("ok", 2, 0, 0, 14),
		},
		{
			name: "--shuffle-seed runs in an order the seed fixes",
			args: []string{"--shuffle-seed", "7", "--test-threads", "1", "--exact", "passes", "exits_zero", "nested::inner_passes", "spawns_child"},
			stdout: "\nrunning 4 tests (shuffle seed: 7)\n" + shuffledLines(7, "exits_zero", "nested::inner_passes", "passes", "spawns_child") +
				summary("ok", 4, 0, 0, 12),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runTestModeHook(t, testmodeGuest("suite"), c.args, c.env)
			if got := normalizeTime(r.Stdout); got != c.stdout {
				t.Errorf("stdout differs:\n%s\n--- got:\n%s", lineDiff(got, c.stdout), got)
			}
			equal(t, "stderr", r.Stderr, "")
			equal(t, "exit code", r.Code, c.code)
		})
	}
}

// suiteNames are the names of the suite's tests, sorted.
func suiteNames() []string {
	var names []string
	for _, l := range suiteResults {
		name := strings.TrimPrefix(l, "test ")
		name, _, _ = strings.Cut(name, " ")
		names = append(names, name)
	}
	return names
}

// shuffledLines is the result lines of passing tests in the order the seed gives.
func shuffledLines(seed uint64, names ...string) string {
	tests := make([]testCase, len(names))
	for i, n := range names {
		tests[i] = testCase{Name: n}
	}
	shuffleTests(tests, &testFlags{ShuffleSeed: seed, HasShuffleSeed: true})
	var b strings.Builder
	for _, tc := range tests {
		b.WriteString("test " + tc.Name + " ... ok\n")
	}
	return b.String()
}

// --nocapture lets output through as it is written: stdout to stdout, stderr to stderr;
// the failure block then holds only the runner's notes.
func TestTestMode_nocapture(t *testing.T) {
	panicLine := "thread '<unnamed>' panicked at 'stderr test failed', tests/suite.rs:82:5\n" + backtraceHint
	t.Run("parallel", func(t *testing.T) {
		r := runTestModeHook(t, testmodeGuest("suite"), []string{"--nocapture", "writes_stderr"}, nil)
		want := "\nrunning 1 test\nto stdout\ntest writes_stderr ... FAILED\n" +
			"\nfailures:\n\nfailures:\n    writes_stderr\n" + summary("FAILED", 0, 1, 0, 15)
		equal(t, "stdout", normalizeTime(r.Stdout), want)
		equal(t, "stderr", r.Stderr, "to stderr\n"+panicLine)
		equal(t, "exit code", r.Code, 101)
	})
	t.Run("one thread: output between name and result, as libtest", func(t *testing.T) {
		r := runTestModeHook(t, testmodeGuest("suite"), []string{"--nocapture", "--test-threads", "1", "writes_stderr", "should_panic_no_panic"}, nil)
		want := "\nrunning 2 tests\n" +
			"test should_panic_no_panic - should panic ... returning normally\nFAILED\n" +
			"test writes_stderr ... to stdout\nFAILED\n" +
			"\nfailures:\n\n---- should_panic_no_panic stdout ----\nnote: test did not panic as expected\n" +
			"\nfailures:\n    should_panic_no_panic\n    writes_stderr\n" + summary("FAILED", 0, 2, 0, 14)
		equal(t, "stdout", normalizeTime(r.Stdout), want)
		equal(t, "stderr", r.Stderr, "to stderr\n"+panicLine)
	})
	t.Run("RUST_TEST_NOCAPTURE", func(t *testing.T) {
		r := runTestModeHook(t, testmodeGuest("suite"), []string{"--exact", "passes"}, []string{"RUST_TEST_NOCAPTURE=1"})
		want := "\nrunning 1 test\nhello from passes\ntest passes ... ok\n" + summary("ok", 1, 0, 0, 15)
		equal(t, "stdout", normalizeTime(r.Stdout), want)
	})
}

// Command-line mistakes are reported like libtest's: "error: …" on stderr, status 101.
func TestTestMode_badFlags(t *testing.T) {
	cases := []struct {
		args []string
		env  []string
		err  string
	}{
		{[]string{"--frobnicate"}, nil, "Unrecognized option: 'frobnicate'"},
		{[]string{"-x"}, nil, "Unrecognized option: 'x'"},
		{[]string{"--exact=yes"}, nil, "Option 'exact' does not take an argument"},
		{[]string{"--skip"}, nil, "Argument to option 'skip' missing"},
		{[]string{"--test-threads", "0"}, nil, "argument for --test-threads must not be 0"},
		{[]string{"--test-threads", "many"}, nil, "argument for --test-threads must be a number > 0 (error: invalid digit found in string)"},
		{[]string{"--color", "purple"}, nil, "argument for --color must be auto, always, or never (was purple)"},
		{[]string{"--format", "junit"}, nil, "argument for --format must be pretty, terse or json (was junit)"},
		{[]string{"--ignored", "--include-ignored"}, nil, "the options --include-ignored and --ignored are mutually exclusive"},
		{nil, []string{"RUST_TEST_THREADS=zero"}, "RUST_TEST_THREADS is `zero`, should be a positive integer."},
		{nil, []string{"LUNATIC_TEST_TIMEOUT=soon"}, `LUNATIC_TEST_TIMEOUT="soon": want a duration such as 30s or a number of seconds`},
	}
	for _, c := range cases {
		t.Run(strings.Join(append(c.args, c.env...), " "), func(t *testing.T) {
			t.Parallel()
			r := runTestModeHook(t, testmodeGuest("suite"), c.args, c.env)
			equal(t, "stdout", r.Stdout, "")
			equal(t, "stderr", r.Stderr, "error: "+c.err+"\n")
			equal(t, "exit code", r.Code, 101)
		})
	}
}

func TestTestMode_help(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		r := runTestModeHook(t, testmodeGuest("suite"), []string{arg, "--nonsense-is-not-checked-first"}, nil)
		if r.Code != 101 || !strings.Contains(r.Stderr, "Unrecognized option") {
			t.Errorf("%s with a bad option: code %d, stderr %q; want the option error", arg, r.Code, r.Stderr)
		}
		r = runTestModeHook(t, testmodeGuest("suite"), []string{arg}, nil)
		equal(t, "exit code", r.Code, 0)
		if !strings.HasPrefix(r.Stdout, "Usage: suite.wasm [OPTIONS] [FILTERS...]\n") {
			t.Errorf("%s: stdout starts %q", arg, r.Stdout[:min(len(r.Stdout), 60)])
		}
		for _, opt := range []string{"--include-ignored", "--test-threads N", "--format pretty|terse|json", envTestTimeout, envTestMaxFuel} {
			if !strings.Contains(r.Stdout, opt) {
				t.Errorf("%s: help does not mention %s", arg, opt)
			}
		}
	}
}

// --logfile gets one line per result, as libtest writes them.
func TestTestMode_logfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.log")
	r := runTestModeHook(t, testmodeGuest("suite"), []string{"--logfile", path, "--test-threads=1", "--exact", "passes", "ignored", "exits_nonzero", "should_panic_no_panic"}, nil)
	equal(t, "exit code", r.Code, 101)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "failed: test process exited with code 3 exits_nonzero\nignored ignored\nok passes\n" +
		"failed: test did not panic as expected should_panic_no_panic\n"
	equal(t, "log", string(got), want)
}

var execTimeRe = regexp.MustCompile(`"exec_time": [0-9.e-]+`)

// What IDEs run: libtest's JSON events, with the output of passing tests.
func TestTestMode_jsonForIDEs(t *testing.T) {
	r := runTestModeHook(t, testmodeGuest("suite"), []string{"-Z", "unstable-options", "--format", "json", "--show-output",
		"--exact", "passes", "exits_nonzero", "ignored", "--test-threads", "1"}, nil)
	want := `{ "type": "suite", "event": "started", "test_count": 3 }
{ "type": "test", "event": "started", "name": "exits_nonzero" }
{ "type": "test", "name": "exits_nonzero", "event": "failed", "stdout": "exiting with 3\n", "message": "test process exited with code 3" }
{ "type": "test", "event": "started", "name": "ignored" }
{ "type": "test", "name": "ignored", "event": "ignored" }
{ "type": "test", "event": "started", "name": "passes" }
{ "type": "test", "name": "passes", "event": "ok", "stdout": "hello from passes\n" }
{ "type": "suite", "event": "failed", "passed": 1, "failed": 1, "ignored": 1, "measured": 0, "filtered_out": 13, "exec_time": 0 }
`
	equal(t, "stdout", execTimeRe.ReplaceAllString(r.Stdout, `"exec_time": 0`), want)
	equal(t, "exit code", r.Code, 101)
}
