package scheduler

import (
	"bytes"
	"fmt"
	"strings"
)

// Section ids of the wasm binary format.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
)

var wasmHeader = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// sectionRank orders the non-custom sections as the binary format requires
// (the data count section sits between element and code). Zero means unknown.
func sectionRank(id byte) int {
	switch {
	case id >= secType && id <= secElement:
		return int(id)
	case id == secDataCount:
		return 10
	case id == secCode:
		return 11
	case id == secData:
		return 12
	}
	return 0
}

// section is one section of the input: its id and content (without the
// id and size prefix), plus the absolute offset of the content.
type section struct {
	id      byte
	name    string // custom sections only
	content []byte
	offset  int
}

// module holds what the rewriter needs to know about the input before
// emitting anything.
type module struct {
	// loopsOnly (Epoch mode, InstrumentEpochLoops): checks on the back edges of loops
	// only; the host preempts function entries through wazero's stack bound.
	loopsOnly bool
	sections  []section

	typeParams  []uint32 // parameter count of each type
	yieldType   uint32   // index of a () -> i64 type
	addType     bool     // yieldType must be appended to the type section
	funcImports uint32   // imported functions; the yield import gets this index
	globals     uint32   // imported + defined globals of the input
	// globalImports counts the imported globals of the input; in Epoch mode
	// the epoch import gets this index and the input's defined globals move
	// up by one.
	globalImports uint32
	funcTypes     []uint32 // type index of each defined function

	mode      Mode
	addrTaken []bool // by function index: named by an element segment or ref.func
	// indirectCost is the cost charged by a Preempt check before call_indirect: the most
	// a function whose address is taken exposes (set by plan).
	indirectCost int64

	// codeHook, when set (by tests), rewrites the code section instead of
	// rewriteCode.
	codeHook func(r *reader, out []byte) ([]byte, error)
}

// takeAddress records that function idx may be called through a table.
func (m *module) takeAddress(idx uint32) {
	if m.addrTaken == nil {
		m.addrTaken = make([]bool, uint64(m.funcImports)+uint64(len(m.funcTypes)))
	}
	if uint64(idx) < uint64(len(m.addrTaken)) {
		m.addrTaken[idx] = true
	}
}

// remapFunc maps a function index of the input to the output, where the
// injected import sits right after the existing function imports. An index
// out of range fails r: shifted, it could name a function that exists.
func (m *module) remapFunc(r *reader, idx uint32) uint32 {
	if uint64(idx) >= uint64(m.funcImports)+uint64(len(m.funcTypes)) {
		if r.err == nil {
			r.fail("function index %d out of range", idx)
		}
		return idx
	}
	if idx < m.funcImports {
		return idx
	}
	return idx + 1
}

// splitSections checks the header, section framing and order, and returns
// the sections.
func splitSections(wasm []byte) ([]section, error) {
	if len(wasm) < len(wasmHeader) || !bytes.Equal(wasm[:len(wasmHeader)], wasmHeader) {
		return nil, fmt.Errorf("instrument: not a wasm 1.0 binary module (bad magic or version)")
	}
	r := newReader(wasm, 0)
	r.pos = len(wasmHeader)
	var out []section
	lastRank := 0
	for !r.done() {
		id := r.byte()
		size := r.u32()
		start := r.offset()
		content := r.bytes(size)
		if r.err != nil {
			return nil, fmt.Errorf("instrument: section %d: %w", id, r.err)
		}
		s := section{id: id, content: content, offset: start}
		if id == secCustom {
			cr := newReader(content, start)
			s.name = string(cr.name())
			if cr.err != nil {
				return nil, fmt.Errorf("instrument: custom section name: %w", cr.err)
			}
		} else {
			rank := sectionRank(id)
			if rank == 0 {
				return nil, fmt.Errorf("instrument: unsupported section id %d at offset %d", id, start)
			}
			if rank <= lastRank {
				return nil, fmt.Errorf("instrument: section %d out of order or duplicated at offset %d", id, start)
			}
			lastRank = rank
		}
		out = append(out, s)
	}
	return out, nil
}

// analyze gathers counts and types from the sections that the rewrite of
// other sections depends on.
func analyze(wasm []byte, mode Mode) (*module, error) {
	secs, err := splitSections(wasm)
	if err != nil {
		return nil, err
	}
	m := &module{sections: secs, addType: true, mode: mode}
	if mode == EpochLoops {
		m.mode, m.loopsOnly = Epoch, true
	}
	for _, s := range secs {
		r := newReader(s.content, s.offset)
		switch s.id {
		case secType:
			m.readTypes(r)
		case secImport:
			m.readImports(r)
		case secFunction:
			m.readFunctions(r)
		case secGlobal:
			m.globals += r.count() // the entries are rewritten later
		case secExport:
			m.checkExports(r)
		default:
			continue
		}
		if r.err != nil {
			return nil, fmt.Errorf("instrument: %s section: %w", sectionName(s.id), r.err)
		}
	}
	if m.addType {
		m.yieldType = uint32(len(m.typeParams))
	}
	return m, nil
}

func (m *module) readTypes(r *reader) {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		start := r.pos
		if form := r.byte(); form != 0x60 && r.err == nil {
			r.fail("unsupported type form 0x%x", form)
			return
		}
		params := r.count()
		for j := uint32(0); j < params && r.err == nil; j++ {
			readValType(r)
		}
		results := r.count()
		for j := uint32(0); j < results && r.err == nil; j++ {
			readValType(r)
		}
		if m.addType && bytes.Equal(r.buf[start:r.pos], []byte{0x60, 0x00, 0x01, 0x7e}) {
			m.addType = false
			m.yieldType = i
		}
		m.typeParams = append(m.typeParams, params)
	}
	r.expectEnd("type section")
}

func (m *module) readImports(r *reader) {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		mod := r.name()
		r.name()
		if (string(mod) == ImportModule || string(mod) == EpochModule) && r.err == nil {
			r.fail("module already imports from %q (instrumented twice?)", mod)
			return
		}
		switch kind := r.byte(); kind {
		case 0x00:
			m.checkType(r, r.u32())
			m.funcImports++
		case 0x01:
			readTableType(r)
		case 0x02:
			readLimits(r, "memory")
		case 0x03:
			readValType(r)
			readMut(r)
			m.globals++
			m.globalImports++
		default:
			r.fail("unsupported import kind 0x%x", kind)
		}
	}
	r.expectEnd("import section")
}

func (m *module) readFunctions(r *reader) {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		t := r.u32()
		if r.err == nil && int(t) >= len(m.typeParams) {
			r.fail("function %d: type index %d out of range", m.funcImports+i, t)
		}
		m.funcTypes = append(m.funcTypes, t)
	}
	r.expectEnd("function section")
}

func (m *module) checkExports(r *reader) {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		name := r.name()
		r.byte()
		r.u32()
		if (string(name) == FuelExport || string(name) == DeadlineExport) && r.err == nil {
			r.fail("module already exports %q (instrumented twice?)", name)
		}
	}
}

// checkGlobal fails r unless idx names a global of the input. The fuel
// global takes the first free index: an input that (invalidly) used it
// would otherwise become valid and could read or reset its own fuel.
func (m *module) checkGlobal(r *reader, idx uint32) {
	if idx >= m.globals && r.err == nil {
		r.fail("global index %d out of range", idx)
	}
}

// remapGlobal maps a global index of the input to the output: in Epoch mode
// the epoch import sits after the imported globals, so the defined ones move
// up by one.
func (m *module) remapGlobal(idx uint32) uint32 {
	if m.mode == Epoch && idx >= m.globalImports {
		return idx + 1
	}
	return idx
}

// fuelGlobal is the output index of the appended global: the fuel counter,
// or in Epoch mode the deadline.
func (m *module) fuelGlobal() uint32 {
	if m.mode == Epoch {
		return m.globals + 1
	}
	return m.globals
}

// checkType fails r unless idx names a type of the input, for the same
// reason: an appended () -> i64 type takes the first free index.
func (m *module) checkType(r *reader, idx uint32) {
	if int64(idx) >= int64(len(m.typeParams)) && r.err == nil {
		r.fail("type index %d out of range", idx)
	}
}

func sectionName(id byte) string {
	names := [...]string{"custom", "type", "import", "function", "table", "memory",
		"global", "export", "start", "element", "code", "data", "data count"}
	if int(id) < len(names) {
		return names[id]
	}
	return fmt.Sprintf("unknown(%d)", id)
}

// isDebugSection reports custom sections that describe code offsets (DWARF,
// source maps). They would point at the wrong instructions after
// instrumentation, so they are dropped.
func isDebugSection(name string) bool {
	return strings.HasPrefix(name, ".debug_") || name == "sourceMappingURL" || name == "external_debug_info"
}
