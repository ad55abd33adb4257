package experimental

import (
	"context"

	"github.com/tetratelabs/wazero/internal/expctxkeys"
	"github.com/tetratelabs/wazero/internal/suspend"
)

// Suspender lets a host function suspend the Wasm call that called it, so that the
// goroutine making the call is free until the embedder resumes it, possibly from a
// different goroutine. Only the compiler engine supports it.
//
// Register one with WithSuspender in the context of a call of an exported function.
// A host function called (directly) by that call may call Request; when the host
// function returns, the call returns ErrSuspended instead of going on. The function's
// Resumable.Resume then continues it, with the host function's results given to
// Resume; Abandon drops it instead. Between the two the call holds no goroutine: its
// state is the engine's own stack and registers.
//
// A Suspender is used by one call at a time: it is not safe for concurrent use.
type Suspender = suspend.State

// ErrSuspended is the error of a call suspended through a Suspender.
var ErrSuspended = suspend.ErrSuspended

// WithSuspender registers s into the context; see Suspender.
func WithSuspender(ctx context.Context, s *Suspender) context.Context {
	if s != nil {
		return context.WithValue(ctx, expctxkeys.SuspenderKey{}, s)
	}
	return ctx
}

// Resumable is implemented by the api.Function of the compiler engine: a call of it
// that returned ErrSuspended is continued with Resume or dropped with Abandon, on any
// goroutine, but never concurrently with another use of the function.
type Resumable interface {
	// Resume continues the suspended call: hostResults are the results of the host
	// function that suspended it (as it would have written them to its stack). It
	// returns what Call returns, or ErrSuspended again. The host functions called
	// afterwards get ctx; the call keeps the StackLimiter and Suspender of the context
	// it was made with.
	Resume(ctx context.Context, hostResults ...uint64) ([]uint64, error)
	// Abandon drops a suspended call without running any more of it: its stack is
	// released (returned to the StackLimiter of its context), and the function can be
	// called again. It does nothing when no call is suspended.
	Abandon()
}

// PreemptBound, stored in the stack bound word whose address the engine publishes in a
// Suspender's Cell, makes the call's next function entry exit to the engine, which puts
// the bound back and calls the call's StackLimiter's Preempt if it is a Preempter
// (compiler engine; lunatic patch). Every function the compiler emits compares the
// stack pointer with that word at its entry, so a preemption request costs the code
// nothing until it is made.
const PreemptBound = suspend.PreemptBound

// PollModule and PollName name the poll import (compiler engine; lunatic patch): a call
// of a function imported as PollModule.PollName, of type [] -> [i64], is compiled to a
// check of the call's stack bound word for PreemptBound whose result is 0, and the
// function is not called.
// When the check finds PreemptBound the engine puts the real bound back and calls the
// StackLimiter's Preempt (Preempter), as at a function entry. A loop that calls the poll
// on its back edge is preempted by the same store as function entries, for one load, a
// compare and a branch not taken per iteration. The host must still provide the import
// (the interpreter calls it); it can do what Preempt does when a request is due.
const (
	PollModule = suspend.PollModule
	PollName   = suspend.PollName
)

// Preempter is implemented by a StackLimiter that wants the preemption requests of its
// calls (PreemptBound): Preempt is called on the goroutine of the call, at the
// function entry that found the request. It may panic to end the call, as a host
// function may.
type Preempter interface {
	Preempt(ctx context.Context)
}

// PreemptBusy returns the counter that a thread storing PreemptBound through cells
// holds up while it goes through them: it adds one with a locked instruction before
// reading a cell and takes it off after its last store.
func PreemptBusy() *uint32 { return &suspend.Busy }

// QuiescePreempt waits until no thread goes through cells (PreemptBusy is zero): the
// stack bound words whose addresses left the cells before the call are not written to
// afterwards, so their engines may be freed.
func QuiescePreempt() { suspend.Quiesce() }
