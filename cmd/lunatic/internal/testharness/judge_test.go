package testharness

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lunatic-go/lunatic/vm"
)

func TestJudge(t *testing.T) {
	trap := errors.New("wasm error: unreachable\nwasm stack trace:\n\t.tests::boom(i32)")
	oldPanic := "thread '<unnamed>' panicked at 'index out of bounds', src/lib.rs:4:9\n"
	newPanic := "thread 'main' panicked at src/lib.rs:4:9:\nindex out of bounds\n"
	plain := testCase{Name: "t"}
	anyPanic := testCase{Name: "t", ShouldPanic: true}
	wantOOB := testCase{Name: "t", ShouldPanic: true, Expected: "out of bounds"}
	wantOther := testCase{Name: "t", ShouldPanic: true, Expected: "divide"}
	limits := testLimits{Timeout: 3e9, MaxFuel: 7}
	cases := []struct {
		name   string
		tc     testCase
		end    testEnd
		result testResult
		note   string
	}{
		{"returned", plain, testEnd{}, resultOK, ""},
		{"panicked", plain, testEnd{Death: trap, Output: []byte(oldPanic)}, resultFailed, ""},
		{"trapped without a panic", plain, testEnd{Death: trap}, resultFailed,
			"test process trapped: unreachable\nwasm backtrace:\n    0: tests::boom"},
		{"proc_exit(2)", plain, testEnd{Death: &vm.ExitError{Code: 2}}, resultFailed, "test process exited with code 2"},
		{"killed", plain, testEnd{Death: vm.ErrKilled}, resultFailed, "test process was killed"},
		{"linked process failed", plain, testEnd{Death: &vm.LinkDiedError{Peer: 4}}, resultFailed, "test process died because linked process 4 failed"},
		{"time limit", plain, testEnd{Death: errTimeLimit}, resultFailed, "test exceeded its time limit of 3s (LUNATIC_TEST_TIMEOUT)"},
		{"fuel limit", plain, testEnd{Death: fmt.Errorf("%w: budget", vm.ErrOutOfFuel)}, resultFailed,
			"test exceeded its fuel limit of 7 units of 100,000 instructions (LUNATIC_TEST_MAX_FUEL)"},
		{"abandoned", plain, testEnd{Abandoned: true}, resultFailed,
			"test exceeded its time limit of 3s (LUNATIC_TEST_TIMEOUT) and did not stop when killed; it was left running"},

		{"should panic, returned", anyPanic, testEnd{}, resultFailed, "test did not panic as expected"},
		{"should panic, panicked", anyPanic, testEnd{Death: trap, Output: []byte(oldPanic)}, resultOK, ""},
		{"should panic, trapped", anyPanic, testEnd{Death: trap}, resultOK, ""},
		{"should panic, exited non-zero", anyPanic, testEnd{Death: &vm.ExitError{Code: 1}}, resultOK, ""},
		{"should panic, stopped by the time limit", anyPanic, testEnd{Death: errTimeLimit, Output: []byte(oldPanic)}, resultFailed,
			"test exceeded its time limit of 3s (LUNATIC_TEST_TIMEOUT)"},
		{"should panic, out of fuel", anyPanic, testEnd{Death: fmt.Errorf("x: %w", vm.ErrOutOfFuel)}, resultFailed,
			"test exceeded its fuel limit of 7 units of 100,000 instructions (LUNATIC_TEST_MAX_FUEL)"},

		{"expected text, old format", wantOOB, testEnd{Death: trap, Output: []byte(oldPanic)}, resultOK, ""},
		{"expected text, new format", wantOOB, testEnd{Death: trap, Output: []byte(newPanic)}, resultOK, ""},
		{"expected text in a child's panic", wantOOB, testEnd{Death: &vm.LinkDiedError{Peer: 2}, Output: []byte("x\n" + newPanic)}, resultOK, ""},
		{"expected text absent", wantOther, testEnd{Death: trap, Output: []byte(newPanic)}, resultFailed,
			"panic did not contain expected string\n      panic message: `\"index out of bounds\"`,\n expected substring: `\"divide\"`"},
		{"expected text, no panic report", wantOther, testEnd{Death: &vm.ExitError{Code: 3}}, resultFailed,
			"test failed without a panic message: test process exited with code 3\n expected substring: `\"divide\"`"},
		{"expected text, returned", wantOther, testEnd{}, resultFailed, "test did not panic as expected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			result, note := judge(c.tc, c.end, limits)
			equal(t, "result", result, c.result)
			equal(t, "note", note, c.note)
		})
	}
}
