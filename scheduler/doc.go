// Package scheduler meters the CPU time of wasm guests with fuel.
//
// Code compiled by wazero cannot be preempted by Go's scheduler and wazero
// has no fuel counter: a guest spinning in a loop would hold its OS thread
// forever. So fuel is metered by rewriting the module bytes before they are
// compiled. [Instrument] adds
//
//   - a mutable i64 global, the fuel counter, initialised to 0 and appended
//     to the global section (no existing global index moves), exported as
//     [FuelExport];
//   - a function import [ImportModule].[ImportName] of type
//     (func (result i64)), appended after the existing function imports (so
//     every defined function index moves up by one; see below), reusing a
//     () -> i64 type or appending one;
//   - a check point at the entry of every function and at the header of
//     every loop (the start of the loop body, which each iteration passes).
//
// A check point subtracts a static cost from the counter and, when the
// counter drops below zero, calls the import; the import's result becomes
// the new counter value. The counter starts at 0, so the first check of a
// fresh instance calls the import. A host implementation:
//
//	wasm, err := scheduler.Instrument(guest)
//	...
//	_, err = r.NewHostModuleBuilder(scheduler.ImportModule).NewFunctionBuilder().
//		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
//			left := int64(m.ExportedGlobal(scheduler.FuelExport).Get()) // <= 0: how far it overshot
//			// charge the process's budget, handle a pending kill (panic to trap), yield...
//			runtime.Gosched()
//			stack[0] = uint64(quantum) // the new counter value; must be >= 0
//		}), nil, []api.ValueType{api.ValueTypeI64}).
//		Export(scheduler.ImportName).Instantiate(ctx)
//
// A result below zero makes the guest call the import again. Host
// functions may also charge fuel by lowering the exported global: the guest
// keeps the counter nowhere else.
//
// # Cost model
//
// A function body and each loop body form a region, each without the loops
// nested in it; a region's check charges the static count of its wasm
// instructions (structural block, loop, else, end and nop count 0, every
// other instruction 1; for an if, the longer of its two arms). Since
// control flow that is not a loop only goes forward, an instruction runs at
// most once per entry of its region, so the charge over-estimates the work
// done and never under-estimates it. A call is charged 1 in the caller;
// the callee charges its own entry. Fuel therefore approximates executed
// wasm instructions, and any execution that does not end passes check
// points without end: loops through their headers, recursion through
// function entries.
//
// # Check forms
//
// The inserted code (check.go) was shaped by measuring it with wazero's
// optimizing compiler. When the counter runs out, the refill path adds the
// cost to the import's result and branches back to the check (a loop header
// to its own loop; a function entry check is wrapped in a loop of its own)
// instead of joining the fast path after an if: in a tight loop the join
// cost 70 %, the branch back nothing measurable. Loops with parameters
// (multi-value) cannot branch back from inside the if and use the join.
// Keeping the counter in a local inside functions with loops, written back
// around calls, was tried and dropped: it was no faster on loops and 4
// points slower on a Go guest.
//
// Measured slowdown (BenchmarkSlowdown: CPU time, fastest of 100 runs; the
// ranges span separate test processes on a shared 2-core machine): a
// latency-bound arithmetic loop 0 %, a Go program (sorting, hashing, maps,
// goroutines) 11-12 %, recursive fib 11-25 % (every call of a 20-instruction
// function runs a check, and the counter's load-subtract-store chain runs
// through memory from call to call), and the worst case, a sieve whose inner
// loop is a compare, a byte store and an add, 35-45 %: the check costs about
// as much as the loop body, and the call on its slow path makes wazero's
// register allocator spill the loop variable on every iteration.
//
// # Index remapping
//
// Because the import is inserted among the function imports, Instrument
// rewrites every function index: call and ref.func in code, element segments
// of all eight encodings (index vectors and ref.func in expressions), global
// initialisers, exports, the start function and the "name" section
// (function and local names; the import is named "lunatic_fuel_yield").
// Backtraces therefore keep their function names; a function without a name
// is shown by its new index. The extended name section's label names are
// dropped (the inserted blocks renumber labels), as are unknown name
// subsections. DWARF (.debug_*) and source map sections describe code
// offsets that no longer hold, and are dropped too. Everything else is
// copied byte for byte.
//
// # Accepted input
//
// The decoder knows every instruction of the features wazero v1.12 enables
// by default (api.CoreFeaturesV2): the MVP, mutable globals, sign
// extension, saturating float-to-int conversions, bulk memory, reference
// types with table instructions and typed select, multi-value block types,
// and fixed-width SIMD. Threads (atomics, shared memories), tail calls,
// exception handling, typed function references, memory64 and multiple
// memories are off by default in wazero and rejected here, as is a
// non-canonical encoding of a SIMD opcode (wazero reads those opcodes as one
// byte). Malformed input yields an error naming the function and the module
// offset, never a panic and never a module that behaves differently. In
// particular, function, global and type indices are checked against the
// input: an invalid module that used the index the fuel global, the import
// or its type take would otherwise become valid, and could reset its own
// fuel. Every vector count is checked against the bytes left, and functions
// may declare at most 50,000 locals, because wazero v1.12 allocates from
// these numbers before reading the entries (a few bytes could make it
// allocate gigabytes); compile only Instrument's output of untrusted bytes.
// A module that already imports from [ImportModule] is rejected, so that a
// module is never instrumented twice.
package scheduler
