// Package suspend holds the state shared by the embedder and the compiler engine for
// suspending a Wasm call at a host function call (experimental.Suspender; lunatic
// patch).
package suspend

import (
	"errors"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// ErrSuspended is the error of a call that a host function suspended.
var ErrSuspended = errors.New("wasm: call suspended by a host function")

// State is what one context's calls share: the engine counts its calls in progress
// that carry it, and a host function sets Requested.
type State struct {
	// Depth is the number of calls in progress (Go frames of the engine's call loop)
	// that carry this State; maintained by the engine.
	Depth int32
	// Requested is set by Request and cleared by the engine when it suspends.
	Requested bool
	// Off makes Request refuse: the embedder does not resume calls, but the State
	// still carries Cell.
	Off bool
	// Cell, when set by the embedder, is where the engine publishes the address of the
	// stack bound word of the innermost call in progress that carries this State (nil
	// when none): another thread may store PreemptBound at that address at any time,
	// holding Busy up while it goes through its cells. The engine writes Cell when a
	// call starts or resumes and when it returns or suspends. Cell is the first of two
	// words: the second, when not nil, is the address of a pending word (an int64),
	// which the engine reads after publishing a call (with a locked store): when it is
	// not negative a request is pending that the other thread may have made before it
	// saw the call, and the call's bound is set to PreemptBound at once.
	Cell *unsafe.Pointer
}

// PreemptBound is the stack bound that makes the next function entry of a call exit to
// the engine, which then calls its stack limiter's Preempt (experimental.Preempter): no
// stack pointer is above it.
const PreemptBound = ^uintptr(0)

// PollModule and PollName name the poll import: a call of a function imported under
// these names, of type [] -> [i64], compiles to a load of the call's stack bound word
// and a compare with PreemptBound, and its result is 0; when they are equal, the engine
// puts the bound back and calls the stack limiter's Preempt, as at a function entry
// that found the request. It is a preemption check for loops that costs one load, a
// compare and a branch not taken.
const (
	PollModule = "lunatic::__scheduler"
	PollName   = "lunatic_preempt_poll"
)

// Busy counts the threads going through cells to store PreemptBound (each adds one
// before it reads a cell, with a locked instruction, and takes it off after its last
// store).
var Busy uint32

// Quiesce waits until no thread goes through cells (Busy is zero), after a full
// barrier: a word whose address was taken out of a cell before the call is not written
// to afterwards. The engine calls it when a nested call's word leaves the cell (that
// call's engine may be freed afterwards); the embedder calls it before it frees the
// engine of an outermost call.
func Quiesce() {
	atomic.AddUint32(&Busy, 0) // a locked instruction: the earlier stores are visible
	for atomic.LoadUint32(&Busy) != 0 {
		runtime.Gosched()
	}
}

// Request asks the engine to suspend the call that is calling the host function in
// progress, once that function returns. It reports false (and requests nothing) when
// the call cannot be suspended: no engine call in progress carries the state, a
// nested call (a host function calling back into Wasm) is in progress, or the engine
// does not support suspension (the interpreter), or the call could not be resumed on
// another goroutine (resumable).
func (s *State) Request() bool {
	if s.Depth != 1 || !resumable || s.Off {
		return false
	}
	s.Requested = true
	return true
}

// resumable reports whether a suspended call may resume on another goroutine. On amd64
// Go finds the running goroutine through thread-local storage after the engine's
// assembly returns. On arm64 Go keeps it in a register (R28) that the compiled code saves
// when a call enters Wasm and restores when the call returns, so a call resumed
// elsewhere returned to Go with the first goroutine in it ("split stack overflow" under
// qemu-aarch64); there calls are not suspended.
const resumable = runtime.GOARCH == "amd64"
