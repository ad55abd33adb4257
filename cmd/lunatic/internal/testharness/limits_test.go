package testharness

import (
	"io"
	"testing"
	"time"
)

// A test that never ends is stopped by LUNATIC_TEST_TIMEOUT and fails alone; a limit is
// not a panic, so a should_panic test stopped by it fails too. A test still running
// after the slow-test notice time gets libtest's notice.
func TestTestMode_timeLimit(t *testing.T) {
	defer func(old struct{ slowNotice, killGrace time.Duration }) { testModeTiming = old }(testModeTiming)
	testModeTiming.slowNotice = 50 * time.Millisecond

	out, _ := executeGuest(t, "spin", []string{"--skip", "sleeps"}, []string{"LUNATIC_TEST_TIMEOUT=1s"})
	pr := parseRun(t, out)
	equal(t, "header", pr.Header, "\nrunning 3 tests\n")
	equal(t, "results", pr.Results, resultLines(
		"test quick ... ok",
		"test spins_forever ... FAILED",
		"test spins_forever has been running for over 60 seconds",
		"test spins_should_panic - should panic ... FAILED",
		"test spins_should_panic has been running for over 60 seconds",
	))
	note := "note: test exceeded its time limit of 1s (LUNATIC_TEST_TIMEOUT)"
	equal(t, "sections", pr.Sections, map[string]string{
		"failures/spins_forever":      "spinning\n" + note,
		"failures/spins_should_panic": note,
	})
	equal(t, "summary", pr.Summary, "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 1 filtered out; finished in 0.00s")
}

// LUNATIC_TEST_MAX_FUEL holds every test process to a compute budget.
func TestTestMode_fuelLimit(t *testing.T) {
	out, _ := executeGuest(t, "spin", []string{"--skip", "sleeps"}, []string{"LUNATIC_TEST_MAX_FUEL=50"})
	pr := parseRun(t, out)
	equal(t, "results", pr.Results, resultLines(
		"test quick ... ok",
		"test spins_forever ... FAILED",
		"test spins_should_panic - should panic ... FAILED",
	))
	note := "note: test exceeded its fuel limit of 50 units of 100,000 instructions (LUNATIC_TEST_MAX_FUEL)"
	equal(t, "sections", pr.Sections, map[string]string{
		"failures/spins_forever":      "spinning\n" + note,
		"failures/spins_should_panic": note,
	})
}

// A test sleeping inside a WASI call (std::thread::sleep) is stopped by its time limit
// like any other.
func TestTestMode_timeLimitStopsWASISleep(t *testing.T) {
	out, st := executeGuest(t, "spin", []string{"sleeps", "quick", "--test-threads", "1"}, []string{"LUNATIC_TEST_TIMEOUT=0.5"})
	want := "\nrunning 2 tests\ntest quick ... ok\ntest sleeps_in_wasi ... FAILED\n" +
		block("failures", map[string]string{
			"sleeps_in_wasi": "going to sleep\nnote: test exceeded its time limit of 500ms (LUNATIC_TEST_TIMEOUT)",
		}, []string{"sleeps_in_wasi"}) +
		summary("FAILED", 1, 1, 0, 2)
	if got := normalizeTime(out); got != want {
		t.Errorf("report differs:\n%s", lineDiff(got, want))
	}
	equal(t, "abandoned tests", st.abandoned, 0)
}

// A test that a kill cannot stop (it blocks reading stdin, a WASI call that cannot be
// interrupted) is given up on after the grace period; the run still ends and reports it.
func TestTestMode_abandonedTest(t *testing.T) {
	defer func(old struct{ slowNotice, killGrace time.Duration }) { testModeTiming = old }(testModeTiming)
	testModeTiming.killGrace = 100 * time.Millisecond

	stdin, w := io.Pipe()
	defer w.Close()
	out, st := executeGuestStdin(t, "stdin", stdin, []string{"--test-threads", "1"}, []string{"LUNATIC_TEST_TIMEOUT=0.5"})
	want := "\nrunning 2 tests\ntest quick ... ok\ntest reads_stdin ... FAILED\n" +
		block("failures", map[string]string{
			"reads_stdin": "note: test exceeded its time limit of 500ms (LUNATIC_TEST_TIMEOUT) and did not stop when killed; it was left running",
		}, []string{"reads_stdin"}) +
		summary("FAILED", 1, 1, 0, 0)
	if got := normalizeTime(out); got != want {
		t.Errorf("report differs:\n%s", lineDiff(got, want))
	}
	equal(t, "abandoned tests", st.abandoned, 1)
}

// With one test at a time the name is already printed when the test starts, so there is
// no slow-test notice (it would break the line), as in libtest.
func TestTestMode_noSlowNoticeOneAtATime(t *testing.T) {
	defer func(old struct{ slowNotice, killGrace time.Duration }) { testModeTiming = old }(testModeTiming)
	testModeTiming.slowNotice = 10 * time.Millisecond

	out, _ := executeGuest(t, "spin", []string{"spins_forever", "--test-threads", "1"}, []string{"LUNATIC_TEST_TIMEOUT=0.3s"})
	want := "\nrunning 1 test\ntest spins_forever ... FAILED\n" +
		block("failures", map[string]string{
			"spins_forever": "spinning\nnote: test exceeded its time limit of 300ms (LUNATIC_TEST_TIMEOUT)",
		}, []string{"spins_forever"}) +
		summary("FAILED", 0, 1, 0, 3)
	if got := normalizeTime(out); got != want {
		t.Errorf("report differs:\n%s", lineDiff(got, want))
	}
}
