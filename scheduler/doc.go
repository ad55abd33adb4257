// Package scheduler makes wasm guests yield: it meters their CPU time with
// fuel, or checks a host-driven epoch.
//
// Code compiled by wazero cannot be preempted by Go's scheduler and wazero
// has no fuel counter: a guest spinning in a loop would hold its OS thread
// forever. So fuel is metered by rewriting the module bytes before they are
// compiled. [InstrumentMode] adds
//
//   - a mutable i64 global, the fuel counter, initialised to 0 and appended
//     to the global section (no existing global index moves), exported as
//     [FuelExport];
//   - a function import [ImportModule].[ImportName] of type
//     (func (result i64)), appended after the existing function imports (so
//     every defined function index moves up by one; see below), reusing a
//     () -> i64 type or appending one;
//   - check points, and in Exact mode charges, whose placement depends on
//     the [Mode].
//
// A check point finds the counter exhausted and calls the import; the
// import's result becomes the new counter value. The counter starts at 0, so
// the first check of a fresh instance calls the import. A host
// implementation:
//
//	wasm, err := scheduler.Instrument(guest)
//	...
//	_, err = r.NewHostModuleBuilder(scheduler.ImportModule).NewFunctionBuilder().
//		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
//			left := int64(m.ExportedGlobal(scheduler.FuelExport).Get())
//			// used = granted so far - left; charge the budget, handle a kill, yield...
//			runtime.Gosched()
//			stack[0] = uint64(quantum) // the new counter value: >= 0 (Preempt), >= 1 (Exact)
//		}), nil, []api.ValueType{api.ValueTypeI64}).
//		Export(scheduler.ImportName).Instantiate(ctx)
//
// The fuel used by an instance is always what the host granted minus what
// the counter holds. Host functions may charge fuel by lowering the exported
// global: the guest keeps the counter nowhere else.
//
// # Three modes
//
// [Exact] is for processes with a fuel budget (lunatic's max_fuel): it
// charges what wasmtime, the original runtime's engine, charges, and checks
// where wasmtime checks. Every executed operator costs 1, except nop, drop,
// block, loop, unreachable, return, else and end, which cost 0. A function
// body is cut into segments: straight-line code that runs whole once its
// first operator runs, ended by an operator after which control may go
// elsewhere (if, else, br, br_if, br_table, return, unreachable, a call) or
// by a point other paths join (the end of an if, of a block some branch
// leaves through, a loop header). Each segment's cost is subtracted where it
// starts; code that cannot be reached is charged nothing. The check points
// are wasmtime's: every function entry and loop header, where the import is
// called when the counter is at or below zero, i.e. once the operators
// executed reach what was granted. A host that grants at most its budget's
// remainder and traps when nothing remains therefore traps at the same
// check point as wasmtime with the same fuel. The count is exact as long as
// no operator traps: a trap in the middle of a segment has been charged the
// rest of that segment.
//
// [Preempt] is for every other process: it only has to make any execution
// that does not end call the import again and again, as cheaply as possible.
// Such an execution either loops or recurses, so checks go on the back edges
// of loops (a br or br_if to a loop, or a br_table that can branch to one;
// entering a loop costs nothing), at the entries of functions that can
// recurse through calls (those on a cycle of the graph of call
// instructions), and before every call_indirect, which cuts every cycle
// through a table (checking every function whose address is taken instead
// would check every function of a Go program, whose table holds them all).
// A loop with parameters keeps its check at the header (the
// parameters are out of reach before a branch). Each check charges a static
// cost: the loop body's (or the function body's), without nested loops,
// with the longer arm of each if, plus the cost exposed by the check-less
// functions it calls (their own static cost and what their callees expose);
// a function exposing more than 20,000 gets an entry check itself, which
// bounds the work between two checks. The counter is an estimate of work,
// not a count.
//
// [Epoch] places its checks exactly where Preempt does, but counts nothing.
// It imports a mutable i64 global, the epoch ([EpochModule].[EpochName],
// appended after the imported globals, so every defined global index moves
// up by one and is rewritten like function indices), and appends a defined
// one, the instance's deadline, exported as [DeadlineExport] and initialised
// to math.MinInt64. A check is
//
//	global.get $epoch  global.get $deadline  i64.lt_s
//	if  else  call $yield  drop  (branch back to the check)  end
//
// so it only loads and compares: no store, and no chain of dependent
// instructions from one check to the next. The host advances the epoch (a
// shared clock, see [EpochGlobalModule]) and sets an instance's deadline in
// the import, normally to the next epoch; to stop an instance at its next
// check it stores a deadline the epoch has passed. The import's result is
// dropped. The entry check of a function that can recurse calls the function
// itself with its arguments after yielding and returns what that returns,
// instead of branching back (see epochEntry in check.go for why).
//
// [EpochLoops] is Epoch with the checks on the back edges of loops only: no
// entry checks and no checks before call_indirect. It is for a host that
// preempts function entries itself, through the bound every function wazero
// compiles compares the stack pointer with at its entry
// (experimental.PreemptBound; the vm package's clock thread stores it in the
// bound of every running call at each tick): those entries are check points
// already, which cost nothing until a preemption is requested. Its back edges
// do not read the epoch either: they call the poll import ([PollName], same
// module and type as the yield) and drop its result, and wazero's compiler
// (lunatic patch, experimental.PollName) turns each such call into a load of
// the running call's bound word and a compare with PreemptBound, its slow path
// out of line, so the clock thread's store at a tick reaches loops too. An
// EpochLoops module is therefore preempted only where the host publishes its
// calls' bounds (the vm package's workers' cells); the epoch import and the
// deadline global stay for the host's yield. A small innermost loop (a body of
// at most 96 bytes, no parameters, no call and no loop inside) is unrolled once,
// so that it polls every other iteration (unroll.go).
//
// In Epoch mode, a back edge of a loop whose iteration is cheap does not load
// the epoch at all: Epoch adds a countdown local per loop (i32, zero at entry), and the back
// edge decrements it and runs the full check only when it goes below zero,
// setting it to k first:
//
//	local.get $k  i32.const 1  i32.sub  local.tee $k  i32.const 0  i32.ge_s
//	if  else  i32.const k  local.set $k  (full check)  br (the loop)  end
//
// k is 20,000 (the bound on a check-less function's exposed cost) divided by
// the loop's static cost per iteration (what Preempt would charge there),
// at most 256, so the work between two full checks keeps Preempt's bound; a
// loop costing more than 10,000 per iteration checks on every back edge. The
// fast path is a decrement, a compare and a branch not taken, on a register.
// A kill or the end of a slice is seen at the next full check, at most k
// iterations later (microseconds). Go guests gain most: their jumps are back
// edges of a dispatch loop whose static cost is mostly below 1,000.
//
// # Check forms
//
// The inserted code (check.go) was shaped by measuring it with wazero's
// optimizing compiler. When the counter runs out, the refill path branches
// back to the check (a loop header to its own loop; other checks are wrapped
// in a loop of their own) instead of joining the fast path after an if: in a
// tight loop the join cost 70 %, the branch back nothing measurable. Loops
// with parameters cannot branch back from inside the if and use the join.
// Keeping the counter in a local inside functions with loops, written back
// around calls, was tried and dropped: it was no faster on loops and 4
// points slower on a Go guest. Loading the counter, comparing it with the
// cost, and subtracting after the branch (a shorter dependency chain) was
// slower on fib and sieve; counting back edges in a local and charging the
// global every 32nd was faster on sieve but slower on the Go guest.
//
// Epoch mode's checks were measured the same way (wazero's machine code
// printed with its debug flag): laid out as above, a back-edge check is a load,
// a compare and a branch not taken; a slow path in the then arm instead made
// the fast path jump over it, which cost the sieve 22 % instead of 5 %; the
// loop around an entry check made wazero reload fib's arguments after each of
// its calls (8 % instead of 1-4 %; both measured with a prototype whose check
// loaded one flag, where Epoch's loads three words). BenchmarkSlowdown measures Epoch mode;
// figures are in RATIONALE.md ("Why epoch preemption?").
//
// Measured slowdown of Preempt mode (BenchmarkSlowdownCounter: CPU time, fastest of
// 20 runs, median of 5 such runs, twice, on a shared 2-core machine with a
// load average of 20-34): a latency-bound arithmetic loop (xorshift) 0 %, a
// Go program (sorting, hashing, maps, goroutines) 12 % (Go compiles jumps to
// a dispatch loop, so most of its branches are back edges), recursive fib
// 19-20 % (every call of a 20-instruction function runs a check, and the
// counter's load-subtract-store chain runs through memory from call to
// call), and a sieve whose inner loop is a compare, a byte store and an add,
// 22-23 %: the check costs about as much as the loop body. The slow path of
// these checks sits in a then arm; moving it to an else arm (as Epoch does)
// took fib to 9-12 % but did not help the sieve, whose cost is the counter's
// store-to-load chain. Exact mode
// (BenchmarkSlowdownExact), which only processes with a budget run: xorshift
// 0 %, gowork 15 %, fib 32 %, sieve 39 %.
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
// A module that already imports from [ImportModule] or [EpochModule], or
// exports [FuelExport] or [DeadlineExport], is rejected, so that a module is
// never instrumented twice. In Epoch mode the "name" section's global names
// are dropped (their indices moved).
package scheduler
