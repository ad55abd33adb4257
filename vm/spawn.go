package vm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm/internal/linmem"
)

// SpawnOptions describe a new process.
type SpawnOptions struct {
	// Module to instantiate. Required.
	Module *Module
	// Config the child runs with. It must not be modified afterwards: the child keeps the
	// pointer. nil means the parent's own config (config_id = -1).
	Config *permissions.ProcessConfig
	// Entry is the export to call. The root process uses "_start".
	Entry string
	// ParamTypes and Params are the entry arguments in wazero's encoding (an i32 is
	// zero-extended, a v128 takes two words: low, high).
	ParamTypes []api.ValueType
	Params     []uint64
	// Link, when non-zero, links parent and child: the parent sees this tag when the
	// child fails, the child sees no tag when the parent fails.
	Link int64
	// Parent is the spawning process, or nil for a root process.
	Parent *Process
	// Stdin, Stdout and Stderr default to the parent's (or the host's for a root process).
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Spawn instantiates the module for a new process and starts it. Errors are instantiation
// failures (spawn returns 1 with an error id for them), or ErrWASIContext. ctx bounds the
// instantiation (the module's start section): when it ends first, or the parent is killed
// meanwhile, no process is created and the error wraps the cause. The process, once
// started, does not depend on ctx.
func (e *Environment) Spawn(ctx context.Context, o SpawnOptions) (*Process, error) {
	if ctx.Err() != nil {
		return nil, fmt.Errorf("spawn: %w", context.Cause(ctx))
	}
	if o.Parent != nil && o.Config != nil {
		// Least privilege: a process never spawns a child with more than it has.
		cfg, err := o.Parent.config.Grant(o.Config)
		switch {
		case errors.Is(err, permissions.ErrPreopen):
			return nil, fmt.Errorf("%w: %w", ErrWASIContext, err)
		case err != nil:
			return nil, fmt.Errorf("spawn: %w", err)
		}
		o.Config = cfg
	}
	if err := e.rt.admit(); err != nil {
		return nil, err
	}
	p := e.newProcess(o)
	p.module.Retain() // released by finish
	inst, err := p.instantiate(ctx, o.Parent)
	if err != nil {
		e.rt.dismiss()
		p.mem.Release(p.tableMem)
		// The start section may have acquired resources before it failed.
		p.releaseResources()
		p.module.Release()
		p.cancel(nil) // release the context; the id stays consumed
		return nil, err
	}
	p.instance = inst
	p.fuelGlobal = inst.ExportedGlobal(scheduler.FuelExport)
	if vp, ok := inst.ExportedGlobal(scheduler.DeadlineExport).(valuePointer); ok {
		p.deadline = vp.ValuePointer()
		e.rt.epoch.start(e.rt.log.Warn)
	}
	if o.Link != 0 && o.Parent != nil {
		p.links.set(o.Parent.id, o.Link)
		o.Parent.addLink(p.id, 0)
	}
	e.insert(p)
	e.rt.hooks.processSpawned(p)
	e.rt.live.Add(1)
	e.rt.running.Add(1)
	if len(o.ParamTypes) != 0 || len(o.Params) != 0 {
		p.startArgs = &startArgs{types: o.ParamTypes, params: o.Params}
	}
	e.rt.workers.ready(p, o.Parent)
	return p, nil
}

// instantiate creates the process's instance: memory within its limit, WASI view from
// its config, and the module's start section.
func (p *Process) instantiate(ctx context.Context, parent *Process) (api.Module, error) {
	if err := p.module.checkTables(); err != nil {
		return nil, err
	}
	if p.module.minMemory > p.config.MaxMemory {
		return nil, fmt.Errorf("instantiate: the module's initial memory (%d bytes) exceeds the process memory limit (%d bytes)", p.module.minMemory, p.config.MaxMemory)
	}
	mc, err := p.moduleConfig(parent)
	if err != nil {
		return nil, err
	}
	// A process with a fuel limit runs the module's exact fuel variant.
	code, start, err := p.module.compiledFor(p.config.FuelLimit() != 0)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	p.tableMem = p.module.tables.min * tableElementSize
	if err := p.mem.Reserve(p.tableMem); err != nil {
		p.tableMem = 0
		return nil, fmt.Errorf("instantiate: the module's table: %w", err)
	}
	p.alloc = p.env.rt.pool.Allocator(p.config.MaxMemory)
	p.alloc.SetBudget(&p.mem)
	// The caller waits while the module's start section runs. The end of ctx ends that
	// wait, and so does a kill of the parent, as it ends any other blocking host call of
	// the parent. The child is then never created, as when the original drops the
	// parent's spawn. Without a start section nothing can block: the ends are checked
	// once it is done, and nothing is registered (two allocations per spawn).
	stopCtx, stopParent := alwaysTrue, alwaysTrue
	if start {
		stopCtx = context.AfterFunc(ctx, func() { p.cancel(context.Cause(ctx)) })
		if parent != nil && parent.ctx != ctx {
			stopParent = context.AfterFunc(parent.ctx, func() { p.cancel(context.Cause(parent.ctx)) })
		}
	}
	inst, err := linmem.Instantiate(p.ctx, p.env.rt.wr, code, mc, p.alloc)
	ctxEnded, parentEnded := !stopCtx(), !stopParent()
	if !start {
		ctxEnded, parentEnded = ctx.Err() != nil, parent != nil && parent.ctx.Err() != nil
	}
	if ctxEnded || parentEnded {
		if err == nil {
			_ = inst.Close(context.Background())
			p.alloc.Release()
		}
		if parentEnded || (parent != nil && parent.ctx.Err() != nil) {
			return nil, fmt.Errorf("instantiate: the spawning process ended: %w", context.Cause(parent.ctx))
		}
		return nil, fmt.Errorf("instantiate: %w", context.Cause(ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	return inst, nil
}

func alwaysTrue() bool { return true }

// newProcess allocates the id and the state of a process (not yet instantiated).
func (e *Environment) newProcess(o SpawnOptions) *Process {
	cfg := o.Config
	if cfg == nil && o.Parent != nil {
		cfg = o.Parent.config
	}
	if cfg == nil {
		cfg = permissions.New()
	}
	p := &Process{
		id:              e.nextID.Add(1),
		env:             e,
		module:          o.Module,
		config:          cfg,
		entry:           o.Entry,
		started:         time.Now(),
		dieWhenLinkDies: true,
		Stdin:           o.Stdin,
		Stdout:          o.Stdout,
		Stderr:          o.Stderr,
	}
	if par := o.Parent; par != nil {
		p.parent = par.id
		if p.Stdin == nil {
			p.Stdin = par.Stdin
		}
		if p.Stdout == nil {
			p.Stdout = par.Stdout
		}
		if p.Stderr == nil {
			p.Stderr = par.Stderr
		}
	}
	if p.Stdin == nil {
		p.Stdin = os.Stdin
	}
	if p.Stdout == nil {
		p.Stdout = os.Stdout
	}
	if p.Stderr == nil {
		p.Stderr = os.Stderr
	}
	p.mem.limit, p.mem.capped, p.mem.parent = cfg.MaxMemory, true, &e.rt.total
	p.susp.Off = e.rt.noSuspend
	p.stack.mem, p.stack.limit = &p.mem, e.rt.maxStack()
	ctx, cancel := context.WithCancelCause(e.rt.baseCtx)
	// The process context also gives wazero the stack limiter and the suspender.
	p.ctx = withProcess(ctx, p)
	p.cancel = cancel
	return p
}
