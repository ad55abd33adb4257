package testharness

import (
	"fmt"
	"strings"
	"testing"
)

// The reports of testdata/wasm/testmode/suite.wasm, piece by piece. Panic reports are
// those of Rust 1.63's std (the old format), except should_panic_new_format's, which the
// guest prints itself in the format of Rust 1.73+.

const suiteRunning = "\nrunning 16 tests\n"

var suiteResults = []string{
	"test exits_nonzero ... FAILED",
	"test exits_zero ... ok",
	"test fails ... FAILED",
	"test ignored ... ignored",
	"test nested::inner_passes ... ok",
	"test passes ... ok",
	"test prints_a_lot ... FAILED",
	"test should_panic_any - should panic ... ok",
	"test should_panic_expected - should panic ... ok",
	"test should_panic_hash - should panic ... ok",
	"test should_panic_new_format - should panic ... ok",
	"test should_panic_no_panic - should panic ... FAILED",
	"test should_panic_wrong_message - should panic ... FAILED",
	"test spawns_child ... ok",
	"test traps ... FAILED",
	"test writes_stderr ... FAILED",
}

const backtraceHint = "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"

// suiteSections is the "---- NAME stdout ----" content of every failing test.
func suiteSections() map[string]string {
	var lot strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&lot, "line %d of prints_a_lot\n", i)
	}
	lot.WriteString("thread '<unnamed>' panicked at 'printed a lot', tests/suite.rs:57:5\n" + backtraceHint)
	return map[string]string{
		"exits_nonzero": "exiting with 3\nnote: test process exited with code 3",
		"fails": "about to fail\n" +
			"thread '<unnamed>' panicked at 'assertion failed: `(left == right)`\n" +
			"  left: `2`,\n" +
			" right: `3`: arithmetic is broken', tests/suite.rs:14:5\n" + backtraceHint,
		"prints_a_lot":          lot.String(),
		"should_panic_no_panic": "returning normally\nnote: test did not panic as expected",
		"should_panic_wrong_message": "thread '<unnamed>' panicked at 'haystack', tests/suite.rs:39:5\n" + backtraceHint +
			"note: panic did not contain expected string\n" +
			"      panic message: `\"haystack\"`,\n" +
			" expected substring: `\"needle\"`",
		"traps": "before trap\n" +
			"note: test process trapped: out of bounds memory access\n" +
			"wasm backtrace:\n" +
			"    0: #lunatic_test_suite::traps\n" +
			"    1: #lunatic_test_suite::traps.command_export",
		"writes_stderr": "to stdout\nto stderr\n" +
			"thread '<unnamed>' panicked at 'stderr test failed', tests/suite.rs:82:5\n" + backtraceHint,
	}
}

var suiteFailures = []string{
	"exits_nonzero", "fails", "prints_a_lot", "should_panic_no_panic",
	"should_panic_wrong_message", "traps", "writes_stderr",
}

const suiteSummary = "test result: FAILED. 8 passed; 7 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s"

// block renders a libtest "kind:" block for the given tests, in the given order.
func block(kind string, sections map[string]string, order []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s:\n", kind)
	first := true
	for _, name := range order {
		s, ok := sections[name]
		if !ok {
			continue
		}
		if first {
			b.WriteString("\n")
			first = false
		}
		fmt.Fprintf(&b, "---- %s stdout ----\n%s\n", name, s)
	}
	fmt.Fprintf(&b, "\n%s:\n", kind)
	for _, name := range order {
		fmt.Fprintf(&b, "    %s\n", name)
	}
	return b.String()
}

// With one test at a time, tests run and report in name order, so the whole report is
// known byte for byte.
func TestTestMode_suiteOneThread(t *testing.T) {
	r := runTestModeHook(t, testmodeGuest("suite"), []string{"--test-threads", "1"}, nil)
	want := suiteRunning + strings.Join(suiteResults, "\n") + "\n" +
		block("failures", suiteSections(), suiteFailures) +
		"\n" + suiteSummary + "\n\n"
	if got := normalizeTime(r.Stdout); got != want {
		t.Errorf("stdout differs:\n%s", lineDiff(got, want))
	}
	equal(t, "stderr", r.Stderr, "")
	equal(t, "exit code", r.Code, 101)
}

// In parallel, results come in completion order, but every line, every section and the
// sorted failure list are the same.
func TestTestMode_suiteParallel(t *testing.T) {
	r := runTestModeHook(t, testmodeGuest("suite"), nil, nil)
	pr := parseRun(t, r.Stdout)
	equal(t, "header", pr.Header, suiteRunning)
	equal(t, "results", pr.Results, resultLines(suiteResults...))
	want := suiteSections()
	for name, got := range pr.Sections {
		if w := want[strings.TrimPrefix(name, "failures/")]; got != w {
			t.Errorf("section %s:\n%s", name, lineDiff(got, w))
		}
	}
	equal(t, "number of sections", len(pr.Sections), len(want))
	equal(t, "failures list", pr.Listed, suiteFailures)
	equal(t, "summary", pr.Summary, suiteSummary)
	equal(t, "exit code", r.Code, 101)
}

// lineDiff shows the first differing line of two texts with some context.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			lo := max(0, i-3)
			return fmt.Sprintf("first difference at line %d:\n got: %q\nwant: %q\ncontext (got):\n%s",
				i+1, gl, wl, strings.Join(g[lo:min(len(g), i+3)], "\n"))
		}
	}
	return "(equal)"
}
