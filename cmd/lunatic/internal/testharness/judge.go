package testharness

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lunatic-go/lunatic/cmd/lunatic/internal/trapreport"
	"github.com/lunatic-go/lunatic/vm"
)

// testResult is the verdict on one test.
type testResult int

const (
	resultOK testResult = iota
	resultFailed
	resultIgnored
)

// errTimeLimit is the kill cause of a test that ran longer than LUNATIC_TEST_TIMEOUT.
var errTimeLimit = errors.New("test time limit exceeded")

// testEnd is how a test process ended, as the runner saw it.
type testEnd struct {
	// Death is the process's death cause (nil = returned, or proc_exit(0)).
	Death error
	// Abandoned is set when the process did not stop after being killed for its time
	// limit; Death is then meaningless.
	Abandoned bool
	// Output is everything the test's processes wrote (for panic messages).
	Output []byte
}

// judge decides a test's result and the note libtest-style output adds to its captured
// output ("" = none), following libtest's rules for should_panic:
//
//   - a limit set by the runner (time, fuel) fails the test, should_panic or not: being
//     stopped is not a panic;
//   - a normal end passes, or fails a should_panic test ("did not panic as expected");
//   - any other end (a panic — which traps on wasm32 —, another trap, proc_exit(n≠0), a
//     kill, a failed link) fails a plain test and passes a should_panic test without
//     expected text; with expected text, a panic report of the test (or of one of its
//     processes) must contain it.
func judge(tc testCase, end testEnd, l testLimits) (testResult, string) {
	if note := l.exceeded(end); note != "" {
		return resultFailed, note
	}
	if end.Death == nil {
		if tc.ShouldPanic {
			return resultFailed, "test did not panic as expected"
		}
		return resultOK, ""
	}
	panics := panicMessages(string(end.Output))
	switch {
	case !tc.ShouldPanic && len(panics) > 0:
		return resultFailed, ""
	case !tc.ShouldPanic:
		return resultFailed, describeDeath(end.Death)
	case tc.Expected == "":
		return resultOK, ""
	}
	for _, m := range panics {
		if strings.Contains(m, tc.Expected) {
			return resultOK, ""
		}
	}
	if len(panics) == 0 {
		return resultFailed, fmt.Sprintf("test failed without a panic message: %s\n expected substring: `%s`",
			describeDeath(end.Death), rustDebugString(tc.Expected))
	}
	return resultFailed, fmt.Sprintf("panic did not contain expected string\n      panic message: `%s`,\n expected substring: `%s`",
		rustDebugString(panics[len(panics)-1]), rustDebugString(tc.Expected))
}

// describeDeath says in one phrase (plus a backtrace for traps) how a test process failed
// when no panic report explains it.
func describeDeath(death error) string {
	var exit *vm.ExitError
	var link *vm.LinkDiedError
	switch {
	case errors.As(death, &exit):
		return fmt.Sprintf("test process exited with code %d", exit.Code)
	case errors.Is(death, vm.ErrKilled):
		return "test process was killed"
	case errors.As(death, &link):
		return fmt.Sprintf("test process died because linked process %d failed", link.Peer)
	default:
		return "test process trapped: " + trapreport.Format(death)
	}
}
