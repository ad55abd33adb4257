package scheduler

import (
	"errors"
	"fmt"
)

// rewriteCode rewrites every function body of the code section: it scans all
// bodies first (Preempt and Epoch modes need the call graph to place their checks), then
// emits them.
func (m *module) rewriteCode(r *reader, out []byte) ([]byte, error) {
	n := r.count()
	if r.err == nil && uint64(n) != uint64(len(m.funcTypes)) {
		return nil, fmt.Errorf("instrument: code section has %d bodies but the function section declares %d", n, len(m.funcTypes))
	}
	scans := make([]funcScan, 0, n)
	fr := &funcRewriter{m: m}
	for i := uint32(0); i < n && r.err == nil; i++ {
		fn := m.funcImports + i
		size := r.u32()
		base := r.offset()
		body := r.bytes(size)
		if r.err != nil {
			return nil, fmt.Errorf("instrument: function %d: %w", fn, r.err)
		}
		fs, err := fr.scanFunc(fn, body, base)
		if err != nil {
			return nil, err
		}
		scans = append(scans, fs)
	}
	r.expectEnd("code section")
	if r.err != nil {
		return nil, fmt.Errorf("instrument: code section: %w", r.err)
	}
	if m.mode != Exact {
		m.plan(scans)
	}
	out = appendU32(out, n)
	e := emitter{g: m.fuelGlobal(), y: m.funcImports, exact: m.mode == Exact, indirect: m.indirectCost}
	if m.mode == Epoch {
		e.epoch, e.ep, e.loopsOnly = true, m.globalImports, m.loopsOnly
	}
	for i := range scans {
		e.self = m.funcImports + uint32(i) + 1
		e.params = m.typeParams[m.funcTypes[i]]
		out = scans[i].emit(out, &e)
	}
	return out, nil
}

// maxLocals bounds the locals a function declares, as wasmparser (wasmtime)
// and V8 do. wazero v1.12 allows up to 2^32 and allocates a slice of that
// length while decoding, so a 7-byte declaration could make it allocate 4 GiB.
const maxLocals = 50_000

// errLimit reports input beyond a limit of this package.
var errLimit = errors.New("limit exceeded")

// Kinds of edits applied to a function body.
const (
	editCheck       = iota // insert a check point of kind check for cost arg
	editFuncIndex          // replace skip bytes by the function index arg
	editCharge             // Exact: insert a charge of segment arg (nothing if it costs 0)
	editBackBr             // Preempt: insert an entry-form check of region arg before a br
	editBackBrIf           // Preempt: replace a br_if (skip bytes) by if/check/br label+1/end
	editBackBrTable        // Preempt: insert an entry-form check before a br_table; arg indexes brTables
	editIndirect           // Preempt: insert an entry-form check before a call_indirect
	editGlobalIndex        // Epoch: replace skip bytes by the global index arg
)

type edit struct {
	pos   int // offset in the body where the edit applies
	skip  int // bytes of the body that the edit replaces
	kind  uint8
	check uint8 // checkEntry, checkLoop or checkLoopParams
	arg   uint32
	label uint32 // editBackBr, editBackBrIf: the branch depth
}

// callSite is a call in region region of a function: callee is a function
// index of the input, or indirectCallee for call_indirect.
type callSite struct {
	region int
	callee uint32
}

const indirectCallee = ^uint32(0)

// funcScan is what scanning one function body found: the edits to apply and
// the fuel each check or charge costs.
type funcScan struct {
	body  []byte
	edits []edit
	// costs holds, in Preempt mode, the static cost of each region ([0] the
	// function body, then one per loop, each without the loops nested in it)
	// and, in Exact mode, the cost of each segment.
	costs    []int64
	calls    []callSite // Preempt: the calls, for the exposed costs of callees
	brTables [][]int    // Preempt: loop regions a br_table edit may branch back to
	entry    bool       // a check at function entry (always in Exact mode)
	// Epoch: the local declarations (groups and declared locals, the byte
	// where the group count ends and where the instructions start) and the
	// parameter count, to add a countdown local per loop (see loopCheck).
	groups               uint32
	locals               uint64
	groupsStart, exprPos int
}

// frame is one open block while scanning.
type frame struct {
	kind   byte // opBlock, opLoop, opIf, opElse, or 0 for the function body
	params bool // a block type with parameters
	// Preempt: region is the loop region this frame belongs to (its own for a
	// loop); acc is the static cost seen in it so far, counting only the
	// current arm of an if; thenAcc the cost of the then arm.
	region  int
	acc     int64
	thenAcc int64
	// Exact: live is whether the frame was entered in reachable code,
	// targeted whether a branch leaves through its end, thenReach whether the
	// then arm of an if fell through to its else.
	live, targeted, thenReach bool
	// EpochLoops: loop is the stack index of the innermost loop frame at or
	// around this one (-1 if none); for a loop, loopPos is where its opcode is
	// and busy is set once a loop or a call appears in its body (see unroll.go).
	loop    int
	loopPos int
	busy    bool
}

// funcRewriter scans one function body at a time; its stack is reused.
type funcRewriter struct {
	m     *module
	exact bool
	// unroll collects the loops to unroll (EpochLoops); noUnroll is set while
	// the unrolled body is scanned.
	unroll   []unrolledLoop
	noUnroll bool
	fs       funcScan
	stack    []frame
	locals   uint64 // declared locals
	reach    bool   // Exact: the current instruction is reachable
	seg      int    // Exact: the segment being accumulated
}

func (fr *funcRewriter) scanFunc(fn uint32, body []byte, base int) (funcScan, error) {
	fr.exact = fr.m.mode == Exact
	fr.unroll = fr.unroll[:0]
	if err := fr.scanBody(body, base); err != nil {
		return funcScan{}, fmt.Errorf("instrument: function %d: %w", fn, err)
	}
	if len(fr.unroll) == 0 {
		return fr.fs, nil
	}
	// Scan the body with its small loops unrolled instead. Neither unrolling the
	// loops of a body that scanned nor scanning the result fails; if either did, the
	// body would be kept as it is.
	first := fr.fs
	unrolled, err := unrollLoops(body, len(fr.m.typeParams), fr.unroll)
	if err != nil {
		return first, nil
	}
	fr.noUnroll = true
	defer func() { fr.noUnroll = false }()
	if fr.scanBody(unrolled, base) != nil {
		return first, nil
	}
	return fr.fs, nil
}

// scanBody scans one function body (its locals, then its instructions) into fr.fs.
func (fr *funcRewriter) scanBody(body []byte, base int) error {
	fr.fs = funcScan{body: body}
	fr.stack, fr.locals = fr.stack[:0], 0
	r := newReader(body, base)
	exprStart := fr.readLocals(r)
	fr.fs.locals, fr.fs.exprPos = fr.locals, exprStart
	if r.err == nil {
		fr.scan(r, exprStart)
	}
	return r.err
}

// emit appends the rewritten body, size first.
func (fs *funcScan) emit(out []byte, e *emitter) []byte {
	out, mark := beginSized(out)
	prev := 0
	if e.epoch {
		e.counters = fs.countdowns(e)
		if e.counters > 0 {
			out = appendU32(out, fs.groups+1)
			out = append(out, fs.body[fs.groupsStart:fs.exprPos]...)
			out = append(appendU32(out, e.counters), valI32)
			prev = fs.exprPos
		}
	}
	for _, ed := range fs.edits {
		out = append(out, fs.body[prev:ed.pos]...)
		prev = ed.pos + ed.skip
		switch ed.kind {
		case editCheck:
			if ed.check == checkEntry && (!fs.entry || e.loopsOnly) {
				break
			}
			if ed.check == checkEntry && e.epoch {
				out = e.epochEntry(out)
				break
			}
			out = e.check(out, fs.costs[ed.arg], int(ed.check))
		case editFuncIndex, editGlobalIndex:
			out = appendU32(out, ed.arg)
		case editCharge:
			out = e.charge(out, fs.costs[ed.arg])
		case editBackBr:
			out = fs.loopCheck(out, e, ed.arg, ed.label)
		case editBackBrIf:
			out = append(out, opIf, blockTypeEmpty)
			out = fs.loopCheck(out, e, ed.arg, ed.label+1)
			out = appendU32(append(out, opBr), ed.label+1)
			out = append(out, opEnd)
		case editIndirect:
			if !e.loopsOnly {
				out = e.check(out, e.indirect, checkEntry)
			}
		case editBackBrTable:
			var cost int64
			for _, region := range fs.brTables[ed.arg] {
				cost = max(cost, fs.costs[region])
			}
			out = e.check(out, cost, checkEntry)
		}
	}
	out = append(out, fs.body[prev:]...)
	return endSized(out, mark)
}

// readLocals reads the local declarations and returns where the
// instructions start.
func (fr *funcRewriter) readLocals(r *reader) int {
	n := r.count()
	fr.fs.groups, fr.fs.groupsStart = n, r.pos
	for i := uint32(0); i < n && r.err == nil; i++ {
		fr.locals += uint64(r.u32())
		readValType(r)
	}
	if r.err == nil && fr.locals > maxLocals {
		r.fail("%w: %d locals", errLimit, fr.locals)
	}
	return r.pos
}

// opCost is the fuel an executed operator costs, as in wasmtime: structural
// and free operators 0, every other 1.
func opCost(op byte) int64 {
	switch op {
	case opNop, opDrop, opBlock, opLoop, opUnreachable, opReturn, opElse, opEnd:
		return 0
	}
	return 1
}

// scan decodes the instructions and records the edits and costs of the mode.
func (fr *funcRewriter) scan(r *reader, exprStart int) {
	fr.fs.costs = append(fr.fs.costs, 0)
	fr.stack = append(fr.stack, frame{live: true, loop: -1})
	fr.fs.edits = append(fr.fs.edits, edit{pos: exprStart, kind: editCheck, check: checkEntry})
	fr.fs.entry = fr.exact
	fr.reach, fr.seg = true, 0
	for len(fr.stack) > 0 {
		opPos := r.pos
		opOffset := r.offset()
		op := r.byte()
		if r.err != nil {
			return
		}
		fr.add(opCost(op))
		switch op {
		case opNop, opDrop:
		case opUnreachable, opReturn:
			fr.reach = false
		case opBlock, opLoop, opIf:
			params := fr.readBlockType(r)
			fr.open(op, params, r.pos)
			if op == opLoop {
				fr.stack[len(fr.stack)-1].loopPos = opPos
			}
		case opElse:
			if top := &fr.stack[len(fr.stack)-1]; top.kind != opIf {
				r.failAt(opOffset, "else without if")
				return
			}
			fr.elseArm(r.pos)
		case opEnd:
			if top := fr.stack[len(fr.stack)-1]; top.kind == opLoop {
				fr.loopEnd(top, opPos)
			}
			fr.end(r.pos)
		case opBr, opBrIf:
			depth := r.u32()
			if r.err == nil && uint64(depth) >= uint64(len(fr.stack)) {
				r.failAt(opOffset, "branch depth %d out of range", depth)
				return
			}
			fr.branch(op, depth, opPos, r.pos)
		case opBrTable:
			n := r.count()
			var loops []int
			for i := uint32(0); i <= n && r.err == nil; i++ {
				depth := r.u32()
				if r.err == nil && uint64(depth) >= uint64(len(fr.stack)) {
					r.failAt(opOffset, "branch depth %d out of range", depth)
					return
				}
				loops = fr.tableTarget(depth, loops)
			}
			if len(loops) > 0 && !fr.exact {
				fr.fs.edits = append(fr.fs.edits, edit{pos: opPos, kind: editBackBrTable, arg: uint32(len(fr.fs.brTables))})
				fr.fs.brTables = append(fr.fs.brTables, loops)
			}
			fr.reach = false
		case opGlobalGet, opGlobalSet:
			idxPos := r.pos
			idx := r.u32()
			fr.m.checkGlobal(r, idx)
			if to := fr.m.remapGlobal(idx); to != idx && r.err == nil {
				fr.fs.edits = append(fr.fs.edits, edit{pos: idxPos, skip: r.pos - idxPos, kind: editGlobalIndex, arg: to})
			}
		case opCallIndirect:
			fr.busy()
			fr.m.checkType(r, r.u32())
			r.u32()
			if fr.exact {
				fr.call(indirectCallee, r.pos)
			} else {
				// Any function whose address is taken may be the callee: rather than
				// checking all of them at entry, check here.
				fr.fs.edits = append(fr.fs.edits, edit{pos: opPos, kind: editIndirect})
			}
		case opCall, opRefFunc:
			idxPos := r.pos
			idx := r.u32()
			fr.fs.edits = append(fr.fs.edits, edit{pos: idxPos, skip: r.pos - idxPos, kind: editFuncIndex, arg: fr.m.remapFunc(r, idx)})
			if op == opCall {
				fr.busy()
				fr.call(idx, r.pos)
			} else if r.err == nil {
				fr.m.takeAddress(idx)
			}
		default:
			skipImmediates(r, op, opOffset)
		}
		if r.err != nil {
			return
		}
	}
	r.expectEnd("function body")
}

// add charges the cost of an operator to the current region (Preempt) or,
// when reachable, segment (Exact).
func (fr *funcRewriter) add(cost int64) {
	if fr.exact {
		if fr.reach {
			fr.fs.costs[fr.seg] += cost
		}
		return
	}
	fr.stack[len(fr.stack)-1].acc += cost
}

// newSeg starts an Exact segment at body position pos; its cost is charged
// there.
func (fr *funcRewriter) newSeg(pos int) {
	fr.seg = len(fr.fs.costs)
	fr.fs.costs = append(fr.fs.costs, 0)
	fr.fs.edits = append(fr.fs.edits, edit{pos: pos, kind: editCharge, arg: uint32(fr.seg)})
}

// open pushes a block, loop or if whose block type ends at pos.
func (fr *funcRewriter) open(op byte, params bool, pos int) {
	top := fr.stack[len(fr.stack)-1]
	f := frame{kind: op, params: params, region: top.region, live: fr.reach, loop: top.loop}
	if op == opLoop {
		fr.busy()
		f.loop = len(fr.stack)
	}
	if fr.exact {
		fr.stack = append(fr.stack, f)
		if !fr.reach {
			return
		}
		switch op {
		case opIf:
			fr.newSeg(pos)
		case opLoop:
			// The loop header is a check point, as in wasmtime; the check
			// charges the first segment of the body.
			check := uint8(checkLoop)
			if params {
				check = checkLoopParams
			}
			fr.seg = len(fr.fs.costs)
			fr.fs.costs = append(fr.fs.costs, 0)
			fr.fs.edits = append(fr.fs.edits, edit{pos: pos, kind: editCheck, check: check, arg: uint32(fr.seg)})
		}
		return
	}
	if op == opLoop {
		f.region = len(fr.fs.costs)
		fr.fs.costs = append(fr.fs.costs, 0)
		if params {
			// A branch back to a loop with parameters carries them, out of
			// reach of a check before it: check at the header instead.
			fr.fs.edits = append(fr.fs.edits, edit{pos: pos, kind: editCheck, check: checkLoopParams, arg: uint32(f.region)})
		}
	}
	fr.stack = append(fr.stack, f)
}

// elseArm starts the else arm of the innermost if; pos follows the else.
func (fr *funcRewriter) elseArm(pos int) {
	top := &fr.stack[len(fr.stack)-1]
	if !fr.exact {
		top.kind, top.thenAcc, top.acc = opElse, top.acc, 0
		return
	}
	top.kind, top.thenReach = opElse, fr.reach
	fr.reach = top.live
	if fr.reach {
		fr.newSeg(pos)
	}
}

// end closes the innermost frame; pos follows the end.
func (fr *funcRewriter) end(pos int) {
	f := fr.stack[len(fr.stack)-1]
	fr.stack = fr.stack[:len(fr.stack)-1]
	if fr.exact {
		if len(fr.stack) == 0 {
			return
		}
		fell := fr.reach
		switch f.kind {
		case opBlock:
			fr.reach = f.live && (fell || f.targeted)
			if f.live && f.targeted {
				fr.newSeg(pos) // a merge point
			}
		case opLoop:
			// Branches to a loop go to its header: the end is reached by
			// falling through only, and the segment goes on.
		case opIf, opElse:
			// Reached from either arm (an if without else falls through when
			// its condition is false) or by a branch.
			fr.reach = f.live && (f.kind == opIf || fell || f.thenReach || f.targeted)
			if fr.reach {
				fr.newSeg(pos)
			}
		}
		return
	}
	if f.kind == opLoop || len(fr.stack) == 0 {
		fr.fs.costs[f.region] = max(1, f.acc)
		return
	}
	parent := &fr.stack[len(fr.stack)-1]
	if f.kind == opElse {
		parent.acc += max(f.thenAcc, f.acc)
	} else {
		parent.acc += f.acc
	}
}

// branch handles br and br_if to the frame depth levels up; the instruction
// starts at opPos and ends at pos.
func (fr *funcRewriter) branch(op byte, depth uint32, opPos, pos int) {
	target := &fr.stack[len(fr.stack)-1-int(depth)]
	if fr.exact {
		if fr.reach {
			target.targeted = true
		}
		if op == opBr {
			fr.reach = false
		} else if fr.reach {
			fr.newSeg(pos)
		}
		return
	}
	if target.kind != opLoop || target.params {
		return
	}
	// A branch back to a loop: the check of the loop's region goes on this
	// edge, so that entering a loop costs nothing.
	if op == opBr {
		fr.fs.edits = append(fr.fs.edits, edit{pos: opPos, kind: editBackBr, arg: uint32(target.region), label: depth})
		return
	}
	fr.fs.edits = append(fr.fs.edits, edit{pos: opPos, skip: pos - opPos, kind: editBackBrIf, arg: uint32(target.region), label: depth})
}

// tableTarget handles one target of a br_table and returns loops with the
// region of the target added if it is a loop a check must go in front of.
func (fr *funcRewriter) tableTarget(depth uint32, loops []int) []int {
	target := &fr.stack[len(fr.stack)-1-int(depth)]
	if fr.exact {
		if fr.reach {
			target.targeted = true
		}
		return loops
	}
	if target.kind == opLoop && !target.params {
		loops = append(loops, target.region)
	}
	return loops
}

// call records a call of callee (indirectCallee for call_indirect) whose
// instruction ends at pos.
func (fr *funcRewriter) call(callee uint32, pos int) {
	if fr.exact {
		// The callee's entry check must see what ran before the call, and
		// nothing after it: the code after the call is a segment of its own.
		if fr.reach {
			fr.newSeg(pos)
		}
		return
	}
	fr.fs.calls = append(fr.fs.calls, callSite{region: fr.stack[len(fr.stack)-1].region, callee: callee})
}

// readBlockType reads a block type and reports whether it has parameters.
func (fr *funcRewriter) readBlockType(r *reader) bool {
	if idx, ok := readBlockType(r, len(fr.m.typeParams)); ok {
		return fr.m.typeParams[idx] > 0
	}
	return false
}
