// Package hostfunc declares host functions as table entries and exports them to wazero.
//
// A declaration names a function once and writes its signature in the WebAssembly text
// format's type names, with the parameter names beside their types:
//
//	{Name: "spawn", Params: "link i64, config_id i64, id_ptr i32", Results: "i32", Fn: spawn}
//
// The implementation receives its full name ("lunatic::process::spawn"), the name its
// traps report.
package hostfunc

import (
	"context"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/vm"
)

// v128 is wasm's v128 type code, which wazero's public api package does not name.
const v128 api.ValueType = 0x7b

// Impl implements a host function. fn is the function's full name, for its traps; ctx, m
// and stack are what wazero passes a Go host function.
type Impl func(ctx context.Context, fn string, m api.Module, stack []uint64)

// Func is one host function declaration.
type Func struct {
	// Name is the export name inside the host module.
	Name string
	// Params lists the parameters in ABI order, "name type" each, separated by commas
	// ("config_id i64, max i64"); types are i32, i64, f32, f64 and v128.
	Params string
	// Results lists the result types, separated by commas ("i32").
	Results string
	// Fn is the implementation; it reads params from stack and writes results to it.
	Fn Impl
}

// Signature is a parsed declaration: wazero's value types and the parameter names.
type Signature struct {
	Params     []api.ValueType
	ParamNames []string
	Results    []api.ValueType
}

// Parse parses f's signature. A malformed declaration is a programming error: the error
// says which.
func (f Func) Parse() (Signature, error) {
	var s Signature
	if f.Params != "" {
		for _, p := range strings.Split(f.Params, ",") {
			name, typ, ok := strings.Cut(strings.TrimSpace(p), " ")
			if !ok || name == "" {
				return s, fmt.Errorf("host function %s: parameter %q is not \"name type\"", f.Name, p)
			}
			t, err := valueType(typ)
			if err != nil {
				return s, fmt.Errorf("host function %s: parameter %s: %w", f.Name, name, err)
			}
			s.Params = append(s.Params, t)
			s.ParamNames = append(s.ParamNames, name)
		}
	}
	if f.Results != "" {
		for _, r := range strings.Split(f.Results, ",") {
			t, err := valueType(strings.TrimSpace(r))
			if err != nil {
				return s, fmt.Errorf("host function %s: result: %w", f.Name, err)
			}
			s.Results = append(s.Results, t)
		}
	}
	return s, nil
}

func valueType(name string) (api.ValueType, error) {
	switch name {
	case "i32":
		return api.ValueTypeI32, nil
	case "i64":
		return api.ValueTypeI64, nil
	case "f32":
		return api.ValueTypeF32, nil
	case "f64":
		return api.ValueTypeF64, nil
	case "v128":
		return v128, nil
	}
	return 0, fmt.Errorf("unknown value type %q", name)
}

// Instantiate builds the host module named module from fns into r.
func Instantiate(ctx context.Context, r wazero.Runtime, module string, fns []Func) (api.Closer, error) {
	b := r.NewHostModuleBuilder(module)
	for _, f := range fns {
		sig, err := f.Parse()
		if err != nil {
			return nil, fmt.Errorf("instantiate %s: %w", module, err)
		}
		impl, fn := f.Fn, module+"::"+f.Name
		b.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
				impl(ctx, fn, m, stack)
			}), sig.Params, sig.Results).
			WithParameterNames(sig.ParamNames...).
			WithName(f.Name).
			Export(f.Name)
	}
	m, err := b.Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("instantiate %s: %w", module, err)
	}
	return m, nil
}

// Caller returns the process calling host function fn, trapping when the call does not
// come from a lunatic process.
func Caller(ctx context.Context, fn string) *vm.Process {
	p := vm.ProcessFrom(ctx)
	if p == nil {
		vm.Throw(fn, "called outside of a lunatic process")
	}
	return p
}

// Bool converts a Go bool to the ABI's i32 0/1.
func Bool(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
