// Package versionapi implements the lunatic::version host module. It reports the lunatic
// ABI version this runtime is compatible with, so guests that gate features on it behave as
// on lunatic 0.13 (docs/abi/version.md).
package versionapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleVersion

func constant(v uint32) hostfunc.Impl {
	return func(_ context.Context, _ string, _ api.Module, stack []uint64) { stack[0] = uint64(v) }
}

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "major", Results: "i32", Fn: constant(abi.VersionMajor)},
	{Name: "minor", Results: "i32", Fn: constant(abi.VersionMinor)},
	{Name: "patch", Results: "i32", Fn: constant(abi.VersionPatch)},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}
