package scheduler

import (
	"errors"
	"fmt"
)

// rewriteCode rewrites every function body of the code section.
func (m *module) rewriteCode(r *reader, out []byte) ([]byte, error) {
	n := r.count()
	if r.err == nil && uint64(n) != uint64(len(m.funcTypes)) {
		return nil, fmt.Errorf("instrument: code section has %d bodies but the function section declares %d", n, len(m.funcTypes))
	}
	out = appendU32(out, n)
	fr := &funcRewriter{m: m}
	for i := uint32(0); i < n && r.err == nil; i++ {
		fn := m.funcImports + i
		size := r.u32()
		base := r.offset()
		body := r.bytes(size)
		if r.err != nil {
			return nil, fmt.Errorf("instrument: function %d: %w", fn, r.err)
		}
		var err error
		out, err = fr.rewrite(out, fn, body, base)
		if err != nil {
			return nil, err
		}
	}
	r.expectEnd("code section")
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
	editCheck     = iota // insert a check point of kind check for region arg
	editFuncIndex        // replace skip bytes by the function index arg
)

type edit struct {
	pos   int // offset in the body where the edit applies
	skip  int // bytes of the body that the edit replaces
	kind  uint8
	check uint8 // checkEntry, checkLoop or checkLoopParams
	arg   uint32
}

// frame is one open block while scanning; acc is the static cost of the
// instructions seen in it so far, counting only the current arm of an if.
type frame struct {
	kind    byte // opBlock, opLoop, opIf, opElse, or 0 for the function body
	region  int
	acc     int64
	thenAcc int64
}

// funcRewriter scans and rewrites one function body at a time; its slices
// are reused across the functions of a module.
type funcRewriter struct {
	m      *module
	edits  []edit
	costs  []int64 // fuel charged by each check: [0] entry, then one per loop
	stack  []frame
	locals uint64 // declared locals
}

func (fr *funcRewriter) rewrite(out []byte, fn uint32, body []byte, base int) ([]byte, error) {
	fr.edits, fr.costs, fr.stack = fr.edits[:0], fr.costs[:0], fr.stack[:0]
	fr.locals = 0
	r := newReader(body, base)
	exprStart := fr.readLocals(r)
	if r.err == nil {
		fr.scan(r, exprStart)
	}
	if r.err != nil {
		return nil, fmt.Errorf("instrument: function %d: %w", fn, r.err)
	}
	out, mark := beginSized(out)
	e := emitter{g: fr.m.globals, y: fr.m.funcImports}
	prev := 0
	for _, ed := range fr.edits {
		out = append(out, body[prev:ed.pos]...)
		prev = ed.pos + ed.skip
		switch ed.kind {
		case editCheck:
			out = e.check(out, fr.costs[ed.arg], int(ed.check))
		case editFuncIndex:
			out = appendU32(out, ed.arg)
		}
	}
	out = append(out, body[prev:]...)
	return endSized(out, mark), nil
}

// readLocals reads the local declarations and returns where the
// instructions start.
func (fr *funcRewriter) readLocals(r *reader) int {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		fr.locals += uint64(r.u32())
		readValType(r)
	}
	if r.err == nil && fr.locals > maxLocals {
		r.fail("%w: %d locals", errLimit, fr.locals)
	}
	return r.pos
}

// scan decodes the instructions, records the edits and computes the cost of
// each region: the function body or a loop body, each without the loops
// nested in it. Code outside loops runs at most once per entry of its region,
// so charging the whole region at its entry over-estimates, never under-
// estimates; the two arms of an if are charged max(then, else).
func (fr *funcRewriter) scan(r *reader, exprStart int) {
	fr.costs = append(fr.costs, 0)
	fr.stack = append(fr.stack, frame{})
	fr.edits = append(fr.edits, edit{pos: exprStart, kind: editCheck, check: checkEntry})
	for len(fr.stack) > 0 {
		opOffset := r.offset()
		op := r.byte()
		if r.err != nil {
			return
		}
		top := &fr.stack[len(fr.stack)-1]
		switch op {
		case opNop:
		case opBlock, opIf:
			fr.readBlockType(r)
			if op == opIf {
				top.acc++
			}
			fr.stack = append(fr.stack, frame{kind: op})
		case opLoop:
			check := uint8(checkLoop)
			if fr.readBlockType(r) {
				check = checkLoopParams
			}
			region := len(fr.costs)
			fr.costs = append(fr.costs, 0)
			fr.stack = append(fr.stack, frame{kind: opLoop, region: region})
			fr.edits = append(fr.edits, edit{pos: r.pos, kind: editCheck, check: check, arg: uint32(region)})
		case opElse:
			if top.kind != opIf {
				r.failAt(opOffset, "else without if")
				return
			}
			top.kind, top.thenAcc, top.acc = opElse, top.acc, 0
		case opEnd:
			fr.end()
		case opGlobalGet, opGlobalSet:
			top.acc++
			fr.m.checkGlobal(r, r.u32())
		case opCallIndirect:
			top.acc++
			fr.m.checkType(r, r.u32())
			r.u32()
		case opCall, opRefFunc:
			top.acc++
			idxPos := r.pos
			idx := r.u32()
			fr.edits = append(fr.edits, edit{pos: idxPos, skip: r.pos - idxPos, kind: editFuncIndex, arg: fr.m.remapFunc(r, idx)})
		default:
			top.acc++
			skipImmediates(r, op, opOffset)
		}
		if r.err != nil {
			return
		}
	}
	r.expectEnd("function body")
}

// readBlockType reads a block type and reports whether it has parameters.
func (fr *funcRewriter) readBlockType(r *reader) bool {
	if idx, ok := readBlockType(r, len(fr.m.typeParams)); ok {
		return fr.m.typeParams[idx] > 0
	}
	return false
}

// end closes the innermost frame and folds its cost into its parent.
func (fr *funcRewriter) end() {
	f := fr.stack[len(fr.stack)-1]
	fr.stack = fr.stack[:len(fr.stack)-1]
	if f.kind == opLoop || len(fr.stack) == 0 {
		fr.costs[f.region] = max(1, f.acc)
		return
	}
	parent := &fr.stack[len(fr.stack)-1]
	if f.kind == opElse {
		parent.acc += max(f.thenAcc, f.acc)
	} else {
		parent.acc += f.acc
	}
}
