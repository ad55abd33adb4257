// Package suspend holds the state shared by the embedder and the compiler engine for
// suspending a Wasm call at a host function call (experimental.Suspender; lunatic
// patch).
package suspend

import (
	"errors"
	"runtime"
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
}

// Request asks the engine to suspend the call that is calling the host function in
// progress, once that function returns. It reports false (and requests nothing) when
// the call cannot be suspended: no engine call in progress carries the state, a
// nested call (a host function calling back into Wasm) is in progress, or the engine
// does not support suspension (the interpreter), or the call could not be resumed on
// another goroutine (resumable).
func (s *State) Request() bool {
	if s.Depth != 1 || !resumable {
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
