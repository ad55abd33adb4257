package vm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Module is a compiled module that processes can be spawned from. Modules are shared by
// every process spawned from them and by every process that received them in a message.
type Module struct {
	compiled wazero.CompiledModule
	// minMemory is the initial linear memory size in bytes.
	minMemory uint64
	// tables describes the module's tables, checked at every spawn (tables.go).
	tables tableInfo
	// start is set when the module (as compiled, or its exact fuel variant) has a start
	// section: only then can an instantiation block, and a spawn watch its context and
	// its parent while it runs.
	start bool
	// Name is a label for diagnostics (the file name of the root module).
	Name string
	// counted is set for modules compiled by a guest (CompileGuest): refs counts their
	// holders (module tables, message slots, processes running them) and the last one
	// to let go closes the compiled code. Modules the host compiled live as long as the
	// runtime.
	counted bool
	refs    atomic.Int64

	// source is the module's bytes when the runtime has an exact instrumentation: the
	// exact variant, for processes with a fuel limit, is compiled on first use.
	source    []byte
	rt        *Runtime
	exactOnce sync.Once
	exact     wazero.CompiledModule
	exactErr  error
	// exactStart is start for the exact variant.
	exactStart bool
}

// CompileGuest is Compile for lunatic::process::compile_module: the module is closed when
// its last holder releases it (docs/abi/config.md: modules are reference counted). The caller
// holds the first reference, which it hands to the guest's module table.
func (r *Runtime) CompileGuest(ctx context.Context, wasm []byte) (*Module, error) {
	m, err := r.Compile(ctx, "", wasm)
	if err != nil {
		return nil, err
	}
	m.counted = true
	m.refs.Store(1)
	return m, nil
}

// Retain adds a holder of a guest-compiled module (a message slot it is pushed into). It
// must be called by an existing holder.
func (m *Module) Retain() {
	if m.counted {
		m.refs.Add(1)
	}
}

// Release drops a holder (drop_module, a message dropped with the module inside, a
// process that ended). The last release of a guest-compiled module closes its compiled
// code; for a module the host compiled it does nothing.
func (m *Module) Release() {
	if m.counted && m.refs.Add(-1) == 0 {
		_ = m.compiled.Close(context.Background())
		if m.exact != nil {
			_ = m.exact.Close(context.Background())
		}
	}
}

// compiledFor returns the compiled code a process with the given config runs: the exact
// variant (compiled now if this is its first use) when the config has a fuel limit and
// the runtime an exact instrumentation, the module's own otherwise; and whether that code
// has a start section.
func (m *Module) compiledFor(limited bool) (wazero.CompiledModule, bool, error) {
	if !limited || m.source == nil {
		return m.compiled, m.start, nil
	}
	m.exactOnce.Do(func() {
		code, err := m.rt.opts.InstrumentExact(m.source)
		if err != nil {
			m.exactErr = fmt.Errorf("exact fuel instrumentation: %w", err)
			return
		}
		m.exactStart = hasStartSection(code)
		// Not the spawner's context: its cancellation must not stick to the module.
		if m.exact, err = m.rt.wr.CompileModule(context.Background(), code); err != nil {
			m.exactErr = fmt.Errorf("compile the exact fuel variant: %w", err)
		}
	})
	if m.exactErr != nil {
		return nil, false, m.exactErr
	}
	return m.exact, m.exactStart, nil
}

// Compiled is the wazero compiled module.
func (m *Module) Compiled() wazero.CompiledModule { return m.compiled }

// errNotWasm reports bytes that are not a WebAssembly module.
var errNotWasm = errors.New("not a WebAssembly module")

// errComponent reports a WebAssembly component (e.g. a wasm32-wasip2 binary).
var errComponent = errors.New("is a WebAssembly component (wasm32-wasip2), but lunatic runs core modules: build for wasm32-wasip1 (or wasm32-wasi)")

var wasmMagic = []byte{0x00, 'a', 's', 'm'}

// Compile validates, instruments and compiles module bytes, and checks that every import
// resolves to a host function with the same signature (so an unknown import is an error
// here, not a trap later).
func (r *Runtime) Compile(ctx context.Context, name string, wasm []byte) (*Module, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], wasmMagic) {
		return nil, errNotWasm
	}
	switch {
	case wasm[4] == 1 && wasm[5] == 0 && wasm[6] == 0 && wasm[7] == 0:
	case wasm[6] == 1 && wasm[7] == 0:
		return nil, errComponent
	default:
		return nil, fmt.Errorf("unsupported WebAssembly binary version %d", uint32(wasm[4])|uint32(wasm[5])<<8)
	}
	code, tables := limitTables(wasm)
	if r.opts.Instrument != nil {
		var err error
		if code, err = r.opts.Instrument(code); err != nil {
			return nil, err
		}
	}
	cm, err := r.wr.CompileModule(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := r.checkImports(cm); err != nil {
		_ = cm.Close(ctx)
		return nil, err
	}
	m := &Module{compiled: cm, Name: name, rt: r, tables: tables, start: hasStartSection(code)}
	if r.opts.InstrumentExact != nil {
		m.source = bytes.Clone(wasm)
	}
	for _, def := range cm.ExportedMemories() {
		m.minMemory = uint64(def.Min()) * 65536
	}
	for _, def := range cm.ImportedMemories() {
		m.minMemory = uint64(def.Min()) * 65536
	}
	return m, nil
}

// checkImports resolves each import of cm against the host modules in the runtime.
func (r *Runtime) checkImports(cm wazero.CompiledModule) error {
	for _, def := range cm.ImportedFunctions() {
		modName, fnName, _ := def.Import()
		host := r.wr.Module(modName)
		if host == nil {
			return fmt.Errorf("unknown import %s::%s: no host module %q", modName, fnName, modName)
		}
		exp, ok := host.ExportedFunctionDefinitions()[fnName]
		if !ok {
			return fmt.Errorf("unknown import %s::%s: %q has no function %q", modName, fnName, modName, fnName)
		}
		if !sameTypes(exp.ParamTypes(), def.ParamTypes()) || !sameTypes(exp.ResultTypes(), def.ResultTypes()) {
			return fmt.Errorf("import %s::%s has type %s, the host provides %s", modName, fnName, signature(def), signature(exp))
		}
	}
	for _, def := range cm.ImportedMemories() {
		modName, name, _ := def.Import()
		return fmt.Errorf("unknown import %s::%s: memories cannot be imported", modName, name)
	}
	return nil
}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func signature(def api.FunctionDefinition) string {
	s := "("
	for i, t := range def.ParamTypes() {
		if i > 0 {
			s += " "
		}
		s += api.ValueTypeName(t)
	}
	s += ") -> ("
	for i, t := range def.ResultTypes() {
		if i > 0 {
			s += " "
		}
		s += api.ValueTypeName(t)
	}
	return s + ")"
}
