package scheduler

// Kinds of check points.
const (
	checkEntry      = iota // function entry
	checkLoop              // loop header of a loop without parameters
	checkLoopParams        // loop header of a loop with parameters
)

// emitter writes the check points that Instrument inserts.
type emitter struct {
	g     uint32 // fuel global (the deadline in Epoch mode)
	y     uint32 // yield import
	exact bool   // Exact mode
	// indirect is the cost of a Preempt check before call_indirect.
	indirect int64
	epoch    bool // Epoch mode
	// loopsOnly: Epoch mode without entry and call_indirect checks (InstrumentEpochLoops).
	loopsOnly bool
	ep        uint32 // Epoch: the imported epoch global
	self      uint32 // output index of the function being emitted
	params    uint32 // its parameter count
	// counters is the number of countdown locals added to the function being
	// emitted (Epoch), the first at index firstCounter.
	counters, firstCounter uint32
}

// Countdown checks (Epoch mode). A loop whose iteration is cheap checks the
// epoch only every k iterations: a countdown local, decremented on each back
// edge, runs the full check and starts again at k when it goes below zero.
// k is epochBudget divided by the static cost of one iteration (its region
// cost, with what the check-less functions it calls expose), at most
// maxCountdown, so at most about epochBudget operators run between two full
// checks. The local starts at zero, so the first back edge of each call checks.
const (
	epochBudget  = maxExposed
	maxCountdown = 256
	// maxCountdownLocals: a function with more parameters and locals than this
	// gets no countdowns (see countdowns).
	maxCountdownLocals = 6
)

// countdown returns the k of a loop region (1: check every iteration).
func countdown(cost int64) int64 {
	return min(maxCountdown, max(1, epochBudget/max(1, cost)))
}

// countdowns returns the number of countdown locals the function needs (one
// per loop region, so its local index is firstCounter+region-1) and sets
// e.firstCounter; 0 in EpochLoops mode (a poll costs less than a countdown),
// when no loop is cheap enough to need one, or when the function has more than
// maxCountdownLocals parameters and locals: there the counter competes for
// registers and wazero's allocator keeps it in the frame, so each back edge
// stores and reloads it, a dependency from one iteration to the next that
// costs more than the full check's loads (Go's wasm, whose loops all branch
// back to one dispatch loop, paid about 13 points more with counters;
// RATIONALE.md).
func (fs *funcScan) countdowns(e *emitter) uint32 {
	if e.loopsOnly || uint64(e.params)+fs.locals > maxCountdownLocals {
		return 0
	}
	need := false
	for _, c := range fs.costs[1:] {
		need = need || countdown(c) > 1
	}
	if !need || fs.locals+uint64(len(fs.costs)) > maxLocals {
		return 0
	}
	e.firstCounter = e.params + uint32(fs.locals)
	return uint32(len(fs.costs) - 1)
}

// loopCheck appends the check in front of a branch (of depth depth) back to
// the loop of region: in Epoch mode, with a countdown when the loop has one,
//
//	local.get $k  i32.const 1  i32.sub  local.tee $k  i32.const 0  i32.ge_s
//	if  else  i32.const k  local.set $k  <epochCheck>  br depth+1  end
//
// The slow path takes the branch itself, so that, as at epochCheck, it is
// reached from nowhere else, is laid out after the body, and the fast path
// falls through to the branch.
func (fs *funcScan) loopCheck(out []byte, e *emitter, region, depth uint32) []byte {
	cost := fs.costs[region]
	if !e.epoch || e.counters == 0 || region == 0 {
		return e.check(out, cost, checkEntry)
	}
	k := countdown(cost)
	if k <= 1 {
		return e.epochCheck(out)
	}
	local := e.firstCounter + region - 1
	out = appendU32(append(out, opLocalGet), local)
	out = append(out, opI32Const, 0x01, opI32Sub)
	out = appendU32(append(out, opLocalTee), local)
	out = append(out, opI32Const, 0x00, opI32GeS, opIf, blockTypeEmpty, opElse)
	out = appendS64(append(out, opI32Const), k)
	out = appendU32(append(out, opLocalSet), local)
	out = e.epochCheck(out)
	out = appendU32(append(out, opBr), depth+1)
	return append(out, opEnd)
}

// epochCheck appends an Epoch check point, used on back edges and before
// call_indirect; in EpochLoops mode, on back edges only, it is `call $poll  drop`
// (PollName). Otherwise:
//
//	loop
//	  global.get $epoch  global.get $deadline  i64.lt_s
//	  if  else  call $yield  drop  br 1  end
//	end
//
// The fast path is the empty then arm. Measured with wazero's compiler, the
// shape matters more than the loads: wazero lays blocks out in reverse
// post-order, so a slow path in the then arm sits between the check and the
// code after it, and the fast path jumps over it (a taken branch per loop
// iteration: +22 % on the sieve, against +5 % for this form, measured with a
// prototype that checked a one-load flag). An else arm
// that branches back to the check is reached from nowhere else, so it goes
// to the end of the function and the fast path falls through.
func (e *emitter) epochCheck(out []byte) []byte {
	if e.loopsOnly {
		// The poll (PollName): wazero compiles it to a check of the stack bound.
		out = appendU32(append(out, opCall), e.y)
		return append(out, opDrop)
	}
	out = append(out, opLoop, blockTypeEmpty)
	out = e.epochCond(out)
	out = appendU32(append(out, opCall), e.y)
	return append(out, opDrop, opBr, 0x01, opEnd, opEnd)
}

// epochEntry appends the Epoch check at the entry of a function that can
// recurse:
//
//	global.get $epoch  global.get $deadline  i64.lt_s
//	if  else  call $yield  drop  local.get 0 … local.get n-1  call $self  return  end
//
// After yielding, the function calls itself with its arguments and returns
// what that call returns: the slow path ends in a return, so it is laid out
// after the body as with epochCheck, and no loop surrounds the body (the
// loop form made wazero's register allocator reload the arguments after
// every call in recursive fib: +8 % instead of +3 % with the one-load
// prototype). The extra frame
// exists only while the function yields at its entry.
func (e *emitter) epochEntry(out []byte) []byte {
	out = e.epochCond(out)
	out = appendU32(append(out, opCall), e.y)
	out = append(out, opDrop)
	for i := range e.params {
		out = appendU32(append(out, opLocalGet), i)
	}
	out = appendU32(append(out, opCall), e.self)
	return append(out, opReturn, opEnd)
}

// epochCond appends the comparison and the if/else up to the slow path.
func (e *emitter) epochCond(out []byte) []byte {
	out = appendU32(append(out, opGlobalGet), e.ep)
	out = e.global(out, opGlobalGet)
	return append(out, opI64LtS, opIf, blockTypeEmpty, opElse)
}

// check appends a check point that charges cost. In Preempt mode, at a
// function entry (and on a back edge, which uses the same form) it is
//
//	loop
//	  global.get $fuel  i64.const cost  i64.sub  global.set $fuel
//	  global.get $fuel  i64.const 0  i64.lt_s
//	  if  call $yield  i64.const cost  i64.add  global.set $fuel  br 1  end
//	end
//
// The refill path adds cost to the yield result and branches back, so the
// check runs again and leaves the counter at what yield returned. Measured
// with wazero's compiler, this is cheaper than joining the two paths after
// the if: the fast path falls through and the join block, with its moves of
// live values, disappears. A loop header needs no extra loop: it branches
// back to its own loop. A loop with parameters cannot (they are out of reach
// inside the if), so there the yield result is stored and the paths join.
//
// In Exact mode cost is the cost of the segment that follows the check
// point, and the import is called when the counter was at or below zero
// before that charge (so when the operators run before the check point used
// all the fuel granted, as in wasmtime). The refill path first takes the
// charge back, so that the import sees the counter as the check point found
// it:
//
//	global.get $fuel  i64.const cost  i64.sub  global.set $fuel
//	global.get $fuel  i64.const 1-cost  i64.lt_s
//	if  global.get $fuel  i64.const cost  i64.add  global.set $fuel
//	    call $yield  global.set $fuel  br 1  end
//
// and the import must return at least 1.
func (e *emitter) check(out []byte, cost int64, kind int) []byte {
	if e.epoch {
		return e.epochCheck(out)
	}
	if kind == checkEntry {
		out = append(out, opLoop, blockTypeEmpty)
	}
	retry := kind != checkLoopParams
	if e.exact {
		out = e.charge(out, cost)
		out = e.global(out, opGlobalGet)
		out = appendS64(append(out, opI64Const), 1-cost)
		out = append(out, opI64LtS, opIf, blockTypeEmpty)
		out = e.charge(out, -cost)
		out = appendU32(append(out, opCall), e.y)
		if !retry && cost != 0 {
			out = appendS64(append(out, opI64Const), cost)
			out = append(out, opI64Sub)
		}
	} else {
		out = e.charge(out, cost)
		out = e.global(out, opGlobalGet)
		out = append(out, opI64Const, 0x00, opI64LtS, opIf, blockTypeEmpty)
		out = appendU32(append(out, opCall), e.y)
		if retry {
			out = appendS64(append(out, opI64Const), cost)
			out = append(out, opI64Add)
		}
	}
	out = e.global(out, opGlobalSet)
	if retry {
		out = append(out, opBr, 0x01)
	}
	out = append(out, opEnd)
	if kind == checkEntry {
		out = append(out, opEnd)
	}
	return out
}

// charge appends code that subtracts cost from the counter (adds, for a
// negative cost); nothing for 0.
func (e *emitter) charge(out []byte, cost int64) []byte {
	if cost == 0 {
		return out
	}
	out = e.global(out, opGlobalGet)
	if cost > 0 {
		out = appendS64(append(out, opI64Const), cost)
		out = append(out, opI64Sub)
	} else {
		out = appendS64(append(out, opI64Const), -cost)
		out = append(out, opI64Add)
	}
	return e.global(out, opGlobalSet)
}

func (e *emitter) global(out []byte, op byte) []byte { return appendU32(append(out, op), e.g) }
