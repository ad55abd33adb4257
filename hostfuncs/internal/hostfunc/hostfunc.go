// Package hostfunc declares host functions as table entries and exports them to wazero.
package hostfunc

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/vm"
)

// Short names for value types in declaration tables.
const (
	I32 = api.ValueTypeI32
	I64 = api.ValueTypeI64
	F64 = api.ValueTypeF64
)

// Func is one host function declaration.
type Func struct {
	// Name is the export name inside the host module.
	Name string
	// Params and ParamNames describe the parameters, in ABI order.
	Params     []api.ValueType
	ParamNames []string
	// Results are the result types.
	Results []api.ValueType
	// Fn is the implementation; it reads params from stack and writes results to it.
	Fn api.GoModuleFunc
}

// ExportFuncs adds every function of fns to b.
func ExportFuncs(b wazero.HostModuleBuilder, fns []Func) {
	for _, f := range fns {
		if len(f.ParamNames) != len(f.Params) {
			panic(fmt.Sprintf("host function %s: %d param names for %d params", f.Name, len(f.ParamNames), len(f.Params)))
		}
		b.NewFunctionBuilder().
			WithGoModuleFunction(f.Fn, f.Params, f.Results).
			WithParameterNames(f.ParamNames...).
			WithName(f.Name).
			Export(f.Name)
	}
}

// InstantiateFuncs builds the host module named module from fns into r.
func InstantiateFuncs(ctx context.Context, r wazero.Runtime, module string, fns []Func) (api.Closer, error) {
	b := r.NewHostModuleBuilder(module)
	ExportFuncs(b, fns)
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
