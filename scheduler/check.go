package scheduler

// Kinds of check points.
const (
	checkEntry      = iota // function entry
	checkLoop              // loop header of a loop without parameters
	checkLoopParams        // loop header of a loop with parameters
)

// emitter writes the instruction sequences that Instrument inserts.
//
// In a function without loops the counter lives in the global only. In a
// function with loops it is cached in an added i64 local: the global is
// written back before every call (the callee and the host read it) and before
// every exit, and read again after every call.
type emitter struct {
	g      uint32 // fuel global
	y      uint32 // yield import
	l      uint32 // cached counter local, when cached
	cached bool
}

// check appends a check point that charges cost. In a function without
// loops (the counter lives in the global only) the entry check is
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
// the if: the fast path falls through and the join (with its moves of live
// values) disappears. A loop header needs no extra loop: it branches back to
// the loop itself. A loop with parameters cannot (they are out of reach
// inside the if), so there the yield result is stored and the paths join.
//
// With a cached counter, checks keep the new value in the local (local.tee)
// and loop headers read the local; the global is written only before yield.
func (e *emitter) check(out []byte, cost int64, kind int) []byte {
	if kind == checkEntry {
		out = append(out, opLoop, blockTypeEmpty)
	}
	fromLocal := e.cached && kind != checkEntry
	if fromLocal {
		out = e.local(out, opLocalGet)
	} else {
		out = e.global(out, opGlobalGet)
	}
	out = appendS64(append(out, opI64Const), cost)
	out = append(out, opI64Sub)
	if e.cached {
		out = e.local(out, opLocalTee)
	} else {
		out = e.global(out, opGlobalSet)
		out = e.global(out, opGlobalGet)
	}
	out = append(out, opI64Const, 0x00, opI64LtS, opIf, blockTypeEmpty)
	if e.cached {
		out = e.sync(out) // the host may look at how far below zero it went
	}
	out = appendU32(append(out, opCall), e.y)
	retry := kind != checkLoopParams
	if retry {
		out = appendS64(append(out, opI64Const), cost)
		out = append(out, opI64Add)
	}
	if fromLocal {
		out = e.local(out, opLocalSet)
	} else {
		out = e.global(out, opGlobalSet)
	}
	if retry {
		out = append(out, opBr, 0x01)
	}
	out = append(out, opEnd)
	if kind == checkEntry {
		out = append(out, opEnd)
	}
	return out
}

// sync appends local.get $cached global.set $fuel.
func (e *emitter) sync(out []byte) []byte {
	return e.global(e.local(out, opLocalGet), opGlobalSet)
}

// reload appends global.get $fuel local.set $cached.
func (e *emitter) reload(out []byte) []byte {
	return e.local(e.global(out, opGlobalGet), opLocalSet)
}

func (e *emitter) global(out []byte, op byte) []byte { return appendU32(append(out, op), e.g) }
func (e *emitter) local(out []byte, op byte) []byte  { return appendU32(append(out, op), e.l) }
