package vm

import (
	"errors"
	"fmt"
)

// Trap is a guest misuse detected by a host function: a wild pointer, an unknown resource
// id, a missing scratch message. Host functions panic with a *Trap; wazero turns the panic
// into an error of the guest call, which ends (only) the calling process as failed.
type Trap struct {
	// Func is the full host function name, e.g. "lunatic::message::write_data".
	Func string
	// Msg says what was wrong.
	Msg string
}

func (t *Trap) Error() string { return t.Func + ": " + t.Msg }

// Throw panics with a *Trap for host function fn. It never returns.
func Throw(fn, format string, args ...any) {
	panic(&Trap{Func: fn, Msg: fmt.Sprintf(format, args...)})
}

// ErrKilled is the death cause of a process that received a kill signal.
var ErrKilled = errors.New("process killed")

// ErrOutOfFuel is the death cause of a process that used up its max_fuel budget.
var ErrOutOfFuel = errors.New("out of fuel")

// LinkDiedError is the death cause of a process that died because a linked process failed
// while its die_when_link_dies flag was set.
type LinkDiedError struct {
	// Peer is the id of the linked process that failed (or did not exist).
	Peer uint64
}

func (e *LinkDiedError) Error() string {
	return fmt.Sprintf("linked process %d died", e.Peer)
}

// ExitError is the death cause of a process that called WASI proc_exit with a non-zero code.
type ExitError struct{ Code uint32 }

func (e *ExitError) Error() string { return fmt.Sprintf("exited with code %d", e.Code) }
