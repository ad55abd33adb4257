// Package wasiapi provides wasi_snapshot_preview1 (wazero's implementation; each process
// gets its own WASI view from its config at spawn) and the lunatic::wasi helpers that add
// arguments, environment variables and preopened directories to a config
// (docs/abi/wasi.md).
package wasiapi

import (
	"context"
	"fmt"
	"os"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name of the config helpers.
const ModuleName = abi.ModuleWasi

// functions lists the lunatic::wasi host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "config_add_environment_variable", Params: "config_id i64, key_ptr i32, key_len i32, value_ptr i32, value_len i32", Fn: addEnv},
	{Name: "config_add_command_line_argument", Params: "config_id i64, argument_ptr i32, argument_len i32", Fn: addArg},
	{Name: "config_preopen_dir", Params: "config_id i64, dir_ptr i32, dir_len i32", Fn: preopenDir},
}

// Instantiate instantiates wasi_snapshot_preview1 and lunatic::wasi into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	w, err := wasi_snapshot_preview1.Instantiate(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("instantiate %s: %w", wasi_snapshot_preview1.ModuleName, err)
	}
	l, err := hostfunc.Instantiate(ctx, r, ModuleName, functions)
	if err != nil {
		_ = w.Close(ctx)
		return nil, err
	}
	return closers{w, l}, nil
}

type closers []api.Closer

func (c closers) Close(ctx context.Context) error {
	var first error
	for _, x := range c {
		if err := x.Close(ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func config(p *vm.Process, fn string, id uint64) *permissions.ProcessConfig {
	c, ok := p.Configs().Get(id)
	if !ok {
		vm.Throw(fn, "config %d not found", id)
	}
	return c
}

func addEnv(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	k := guestmem.String(m, fn, uint32(stack[1]), uint32(stack[2]))
	v := guestmem.String(m, fn, uint32(stack[3]), uint32(stack[4]))
	c := config(p, fn, stack[0])
	c.Env = append(c.Env, permissions.EnvVar{Key: k, Value: v})
}

func addArg(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := guestmem.String(m, fn, uint32(stack[1]), uint32(stack[2]))
	c := config(p, fn, stack[0])
	c.Args = append(c.Args, a)
}

func preopenDir(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	dir := guestmem.String(m, fn, uint32(stack[1]), uint32(stack[2]))
	c := config(p, fn, stack[0])
	host := dir
	if dir == "~" {
		if home, err := os.UserHomeDir(); err == nil {
			host = home
		}
	}
	c.Preopens = append(c.Preopens, permissions.Preopen{Host: host, Guest: dir})
}
