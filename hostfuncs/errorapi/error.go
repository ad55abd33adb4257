// Package errorapi implements the lunatic::error host module: reading and dropping the
// error resources that failing host calls hand out (docs/abi/error.md).
package errorapi

import (
	"context"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleError

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "string_size", Params: t{i64}, ParamNames: []string{"error_id"}, Results: t{i32}, Fn: stringSize},
	{Name: "to_string", Params: t{i64, i32}, ParamNames: []string{"error_id", "error_str_ptr"}, Fn: toString},
	{Name: "drop", Params: t{i64}, ParamNames: []string{"error_id"}, Fn: drop},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}

// text is the guest-visible text of an error: always valid UTF-8 and the same for both calls.
func text(p *vm.Process, fn string, id uint64) string {
	err, ok := p.Errors.Get(id)
	if !ok {
		vm.Throw(fn, "error %d not found", id)
	}
	return strings.ToValidUTF8(err.Error(), "\uFFFD")
}

func stringSize(ctx context.Context, _ api.Module, stack []uint64) {
	const fn = ns + "string_size"
	stack[0] = uint64(uint32(len(text(hostfunc.Caller(ctx, fn), fn, stack[0]))))
}

func toString(ctx context.Context, m api.Module, stack []uint64) {
	const fn = ns + "to_string"
	s := text(hostfunc.Caller(ctx, fn), fn, stack[0])
	guestmem.Write(m, fn, uint32(stack[1]), []byte(s))
}

func drop(ctx context.Context, _ api.Module, stack []uint64) {
	const fn = ns + "drop"
	if _, ok := hostfunc.Caller(ctx, fn).Errors.Remove(stack[0]); !ok {
		vm.Throw(fn, "error %d not found", stack[0])
	}
}
