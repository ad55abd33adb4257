package scheduler

import (
	"fmt"
	"math"

	"github.com/tetratelabs/wazero/experimental"
)

// ImportModule and ImportName name the host function that Instrument injects.
// Its type is (func (result i64)): it is called when the fuel counter drops
// below zero, and its result becomes the new counter value.
const (
	ImportModule = "lunatic::__scheduler"
	ImportName   = "yield"
)

// PollName names the injected import in EpochLoops mode instead of ImportName: it has
// the same module and type, and the loop checks call it and drop its result. wazero's
// compiler (lunatic patch, experimental.PollName) does not call it: it compiles each call
// to a load of the call's stack bound and a compare with experimental.PreemptBound, which
// the host's clock thread stores there at each tick, so a loop check costs a load and a
// compare folded into the branch back (small loops poll every other iteration, see
// unroll.go). The host provides the import all the same (an
// interpreter would call it) as a function that does what its yield does.
const PollName = experimental.PollName

// FuelExport is the name under which Instrument exports the fuel counter (a
// mutable i64 global), so that the host can read how far below zero it went
// before refilling it, or charge host calls by lowering it.
const FuelExport = "lunatic::__scheduler::fuel"

// Names given to the injected items in the output's name section.
const (
	yieldFuncName = "lunatic_fuel_yield"
)

// EpochModule and EpochName name the global that Epoch mode imports: a
// mutable i64, the epoch, shared by every instance of a host. Its value only
// matters relative to each instance's deadline (see [DeadlineExport]).
const (
	EpochModule = "lunatic::__epoch"
	EpochName   = "epoch"
)

// DeadlineExport is the name under which Epoch mode exports the instance's
// deadline, a mutable i64 global: a check point calls the yield import when
// the epoch is at or past the deadline.
const DeadlineExport = "lunatic::__scheduler::deadline"

// Mode selects what the check points that Instrument inserts guarantee.
type Mode uint8

const (
	// Preempt makes every execution that does not end call the import again
	// and again, at little cost: checks sit on the back edges of loops and
	// at the entries of functions that can recurse, and charge static costs.
	// The counter approximates executed instructions.
	Preempt Mode = iota
	// Exact charges every executed operator its wasmtime cost (see the
	// package documentation), with check points where wasmtime has them:
	// function entries and loop headers. It is for processes with a fuel
	// limit.
	Exact
	// Epoch checks where Preempt does, but charges nothing: a check point
	// compares an imported epoch, which the host advances, with the
	// instance's own deadline, and calls the import once the epoch reaches
	// it. Nothing is counted.
	Epoch
	// EpochLoops is Epoch without the checks at function entries and before
	// call_indirect (see InstrumentEpochLoops).
	EpochLoops
)

func (mode Mode) String() string {
	switch mode {
	case Exact:
		return "exact"
	case Epoch:
		return "epoch"
	case EpochLoops:
		return "epoch-loops"
	}
	return "preempt"
}

// Instrument is InstrumentMode(wasm, Preempt).
func Instrument(wasm []byte) ([]byte, error) { return InstrumentMode(wasm, Preempt) }

// InstrumentExact is InstrumentMode(wasm, Exact).
func InstrumentExact(wasm []byte) ([]byte, error) { return InstrumentMode(wasm, Exact) }

// InstrumentEpoch is InstrumentMode(wasm, Epoch).
func InstrumentEpoch(wasm []byte) ([]byte, error) { return InstrumentMode(wasm, Epoch) }

// InstrumentEpochLoops is InstrumentEpoch without the checks at function entries and
// before call_indirect: only the back edges of loops check the epoch. It is for a host
// that preempts function entries itself: wazero's compiled functions all compare the
// stack pointer with a bound in the call's execution context at their entry, and the
// lunatic patch lets another thread store a bound that fails that comparison
// (experimental.PreemptBound), so every call of a function, whether it can recurse or
// is called through a table, is already a check point that costs nothing until a
// preemption is requested. Loops need their checks: a loop that calls nothing passes
// no function entry. Each back edge calls the poll import (PollName), which wazero's
// compiler turns into a compare of that same bound with PreemptBound: the module keeps
// the epoch import and the deadline global, which the host's yield uses, but no check
// reads them.
func InstrumentEpochLoops(wasm []byte) ([]byte, error) { return InstrumentMode(wasm, EpochLoops) }

// InstrumentMode returns a copy of the wasm binary module where a fuel
// counter is charged as mode says; when a check finds it exhausted, the
// injected import is called and its i64 result becomes the new counter
// value.
//
// The counter starts at 0, so the first check calls the import. InstrumentMode
// accepts the features that wazero enables by default (api.CoreFeaturesV2)
// and rejects anything else with an error; it never modifies wasm.
func InstrumentMode(wasm []byte, mode Mode) ([]byte, error) {
	if mode > EpochLoops {
		return nil, fmt.Errorf("instrument: unknown mode %d", mode)
	}
	m, err := analyze(wasm, mode)
	if err != nil {
		return nil, err
	}
	return m.emit()
}

// emit writes the instrumented module.
func (m *module) emit() ([]byte, error) {
	var err error
	size := 0
	for _, s := range m.sections {
		size += len(s.content)
	}
	out := make([]byte, 0, size+size/4+128)
	out = append(out, wasmHeader...)
	seen := map[byte]bool{}
	for _, s := range m.sections {
		if s.id != secCustom {
			out = m.emitMissing(out, seen, sectionRank(s.id))
			seen[s.id] = true
		}
		out, err = m.rewriteSection(out, s)
		if err != nil {
			return nil, err
		}
	}
	return m.emitMissing(out, seen, 100), nil
}

// rewriteSection appends the rewritten form of s to out.
func (m *module) rewriteSection(out []byte, s section) ([]byte, error) {
	if s.id == secCustom && isDebugSection(s.name) {
		return out, nil
	}
	r := newReader(s.content, s.offset)
	start := len(out)
	out = append(out, s.id)
	out, mark := beginSized(out)
	switch s.id {
	case secType:
		out = m.rewriteTypes(r, out)
	case secImport:
		out = m.rewriteImports(r, out)
	case secTable:
		out = checkTables(r, out)
	case secMemory:
		out = checkMemories(r, out)
	case secData:
		out = m.checkData(r, out)
	case secGlobal:
		out = m.rewriteGlobals(r, out)
	case secExport:
		out = m.rewriteExports(r, out)
	case secStart:
		out = appendU32(out, m.remapFunc(r, r.u32()))
		r.expectEnd("start section")
	case secElement:
		out = m.rewriteElements(r, out)
	case secCode:
		rewrite := m.rewriteCode
		if m.codeHook != nil {
			rewrite = m.codeHook
		}
		var err error
		if out, err = rewrite(r, out); err != nil {
			return nil, err
		}
	case secCustom:
		if s.name == "name" {
			return m.rewriteNames(out[:start], s), nil
		}
		out = append(out, s.content...)
	default: // function, data count: no function indices, checked by analyze
		out = append(out, s.content...)
	}
	if r.err != nil {
		return nil, fmt.Errorf("instrument: %s section: %w", sectionName(s.id), r.err)
	}
	return endSized(out, mark), nil
}

// emitMissing appends the sections that Instrument must add and that the
// input lacks, for every rank below the given one, keeping section order.
func (m *module) emitMissing(out []byte, seen map[byte]bool, before int) []byte {
	for _, id := range []byte{secType, secImport, secGlobal, secExport} {
		if seen[id] || sectionRank(id) >= before {
			continue
		}
		seen[id] = true
		out = append(out, id)
		var mark int
		out, mark = beginSized(out)
		entries := byte(1)
		if id == secImport && m.mode == Epoch {
			entries = 2
		}
		out = append(out, entries)
		switch id {
		case secType:
			out = appendYieldType(out)
		case secImport:
			out = m.appendYieldImport(out)
		case secGlobal:
			out = m.appendFuelGlobal(out)
		case secExport:
			out = m.appendFuelExport(out)
		}
		out = endSized(out, mark)
	}
	return out
}

func appendYieldType(out []byte) []byte {
	return append(out, 0x60, 0x00, 0x01, valI64)
}

// appendYieldImport appends the yield import and, in Epoch mode, the epoch
// import after it (the caller counts both).
func (m *module) appendYieldImport(out []byte) []byte {
	out = appendName(out, ImportModule)
	if m.loopsOnly {
		out = appendName(out, PollName)
	} else {
		out = appendName(out, ImportName)
	}
	out = appendU32(append(out, 0x00), m.yieldType)
	if m.mode == Epoch {
		out = appendName(out, EpochModule)
		out = appendName(out, EpochName)
		out = append(out, 0x03, valI64, 0x01)
	}
	return out
}

// appendFuelGlobal appends the global the checks use:
// (global (mut i64) (i64.const 0)), the fuel counter, or in Epoch mode
// (i64.const MinInt64), the deadline, which the first check finds passed.
func (m *module) appendFuelGlobal(out []byte) []byte {
	out = append(out, valI64, 0x01, opI64Const)
	if m.mode == Epoch {
		out = appendS64(out, math.MinInt64)
	} else {
		out = append(out, 0x00)
	}
	return append(out, opEnd)
}

func (m *module) appendFuelExport(out []byte) []byte {
	if m.mode == Epoch {
		out = appendName(out, DeadlineExport)
	} else {
		out = appendName(out, FuelExport)
	}
	return appendU32(append(out, 0x03), m.fuelGlobal())
}
