package experimental

import "github.com/tetratelabs/wazero/api"

// RecycleModule lets the engine keep the per-instance state of mod, a module whose Close
// (or CloseWithExitCode) has returned, for a later instance of the same compiled module
// (lunatic patch): the compiler's module context and the block of table function
// references that its element segments filled. That instance is then built in them
// instead of allocating and filling new ones.
//
// Call it only when nothing runs mod any more and nothing obtained from it (functions,
// globals, memory) is used again: all of that then belongs to another instance. It does
// nothing for a module that is not closed, whose resources were not closed, or whose
// engine keeps no such state.
func RecycleModule(mod api.Module) {
	if r, ok := mod.(interface{ RecycleEngine() }); ok {
		r.RecycleEngine()
	}
}

// DropRecycled lets go of the per-instance state that RecycleModule kept for later
// instances of every module compiled by r, a wazero.Runtime (lunatic patch): after a
// burst of instances has ended, the few engines kept (up to 64 per compiled module) are
// scattered over the Go heap that the burst used, and each keeps its pages of it
// resident. The next instances allocate their state anew and are recycled again.
func DropRecycled(r any) {
	if d, ok := r.(interface{ DropRecycledEngines() }); ok {
		d.DropRecycledEngines()
	}
}
