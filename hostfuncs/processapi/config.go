package processapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// config looks a config id up in the caller's table, trapping if it is unknown.
func config(p *vm.Process, fn string, id uint64) *permissions.ProcessConfig {
	c, ok := p.Configs().Get(id)
	if !ok {
		vm.Throw(fn, "config %d not found", id)
	}
	return c
}

func createConfig(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	if p.Config().AllowCreateConfigs() != nil {
		stack[0] = api.EncodeI64(abi.Denied)
		return
	}
	stack[0] = p.Configs().Add(p.Config().NewChild())
}

func dropConfig(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	if _, ok := p.Configs().Remove(stack[0]); !ok {
		vm.Throw(fn, "config %d not found", stack[0])
	}
}

func configSetMaxMemory(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	config(hostfunc.Caller(ctx, fn), fn, stack[0]).MaxMemory = stack[1]
}

func configGetMaxMemory(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = config(hostfunc.Caller(ctx, fn), fn, stack[0]).MaxMemory
}

func configSetMaxFuel(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	config(hostfunc.Caller(ctx, fn), fn, stack[0]).MaxFuel = stack[1]
}

func configGetMaxFuel(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	stack[0] = config(hostfunc.Caller(ctx, fn), fn, stack[0]).MaxFuel
}

// flagAccessor returns the get and set host functions of one boolean config field.
func flagAccessor(field func(*permissions.ProcessConfig) *bool) (get, set hostfunc.Impl) {
	get = func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		stack[0] = hostfunc.Bool(*field(config(hostfunc.Caller(ctx, fn), fn, stack[0])))
	}
	set = func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		*field(config(hostfunc.Caller(ctx, fn), fn, stack[0])) = uint32(stack[1]) != 0
	}
	return get, set
}

var (
	configCanCompileModules, configSetCanCompileModules = flagAccessor(
		func(c *permissions.ProcessConfig) *bool { return &c.CanCompileModules })
	configCanCreateConfigs, configSetCanCreateConfigs = flagAccessor(
		func(c *permissions.ProcessConfig) *bool { return &c.CanCreateConfigs })
	configCanSpawnProcesses, configSetCanSpawnProcesses = flagAccessor(
		func(c *permissions.ProcessConfig) *bool { return &c.CanSpawnProcesses })
)

func compileModule(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	ptr, n, idPtr := uint32(stack[0]), uint32(stack[1]), uint32(stack[2])
	if p.Config().AllowCompile() != nil {
		stack[0] = api.EncodeI32(abi.Denied)
		return
	}
	data := guestmem.Read(m, fn, ptr, n)
	guestmem.CheckRange(m, fn, idPtr, 8)
	mod, err := p.Env().Runtime().CompileGuest(ctx, data)
	if err != nil {
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(err))
		stack[0] = abi.Failure
		return
	}
	guestmem.WriteU64(m, fn, idPtr, p.Modules().Add(mod))
	stack[0] = abi.Success
}

func dropModule(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	mod, ok := p.Modules().Remove(stack[0])
	if !ok {
		vm.Throw(fn, "module %d not found", stack[0])
	}
	mod.Release()
}
