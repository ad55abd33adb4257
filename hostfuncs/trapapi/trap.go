// Package trapapi implements the lunatic::trap host module: catch runs guest code through
// the guest's _lunatic_catch_trap export so that a trap inside it returns 0 to the caller
// instead of ending the process (docs/abi/trap.md).
package trapapi

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleTrap

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "catch", Params: "function i32, pointer i32", Results: "i32", Fn: catch},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}

// maxDepth bounds how deeply catch calls may nest in one process. Every level runs the
// guest on a new wazero call stack and adds Go frames to the process's goroutine, so a
// guest recursing through catch without a bound would overflow the goroutine stack, which
// is fatal to the whole host. The original stops such a guest with a wasm stack overflow
// after a few hundred levels; here the call that would go deeper traps, and the
// enclosing catch returns 0 for it, as it would for the overflow.
const maxDepth = 1000

// depth counts the catch calls in progress in a process.
type depth struct{ n int }

var depthKey = vm.NewLocalKey[depth]("catch depth")

func catch(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	d := depthKey.Get(p)
	if d.n >= maxDepth {
		vm.Throw(fn, "catch calls nested more than %d deep", maxDepth)
	}
	d.n++
	defer func() { d.n-- }()
	f := m.ExportedFunction(abi.ExportCatchTrap)
	if f == nil {
		vm.Throw(fn, "the module does not export %s", abi.ExportCatchTrap)
	}
	def := f.Definition()
	if len(def.ParamTypes()) != 2 || def.ParamTypes()[0] != api.ValueTypeI32 || def.ParamTypes()[1] != api.ValueTypeI32 ||
		len(def.ResultTypes()) != 1 || def.ResultTypes()[0] != api.ValueTypeI32 {
		stack[0] = 0
		return
	}
	res, err := f.Call(ctx, uint64(uint32(stack[0])), uint64(uint32(stack[1])))
	if err != nil {
		// A kill is not a trap: it still ends the process.
		p.CheckAlive()
		// proc_exit closes the instance (and releases its memory) in wazero, so the
		// process cannot continue after it: unlike the original, the exit ends the
		// process instead of being swallowed (see RATIONALE.md).
		var exit *sys.ExitError
		if errors.As(err, &exit) {
			panic(exit)
		}
		stack[0] = 0
		return
	}
	stack[0] = res[0]
}
