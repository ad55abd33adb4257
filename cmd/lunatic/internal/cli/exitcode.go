package cli

import (
	"errors"
	"fmt"
)

// Exit codes decided by the command line itself. Every other code is the one
// launch returns (normally the guest's proc_exit code).
const (
	exitOK       = 0  // success
	exitFailure  = 1  // a command failed (e.g. init could not update the config)
	exitUsage    = 2  // bad command line: unknown flag/command, missing .wasm, bad --dir/--env
	exitInternal = 70 // a Go panic reached Main (a bug in lunatic; EX_SOFTWARE)
)

// usageError is a command-line mistake; it exits with exitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries an exit code chosen by a command body (launch) that has
// already reported its own problem; Main prints nothing for it.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitWith turns an exit code into the error a cobra RunE returns.
func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// failure marks an error returned by a command body, as opposed to one
// produced by cobra's own parsing machinery (which is a usage error).
type failure struct{ err error }

func (e *failure) Error() string { return e.err.Error() }
func (e *failure) Unwrap() error { return e.err }

// asFailure wraps a command body's error so that it exits with exitFailure,
// keeping usage and exit errors as they are.
func asFailure(err error) error {
	var ue *usageError
	var ee *exitError
	if err == nil || errors.As(err, &ue) || errors.As(err, &ee) {
		return err
	}
	return &failure{err: err}
}

// exitCode maps the error returned by cobra to a process exit code. This is
// the only place errors become exit codes. Errors that no command body
// produced come from cobra (unknown command, flag errors, args validation)
// and are usage errors.
func exitCode(err error) int {
	var ee *exitError
	var ue *usageError
	var fe *failure
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &fe):
		return exitFailure
	default:
		return exitUsage
	}
}
