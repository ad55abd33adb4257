package vm

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/sys"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm/internal/linmem"
)

// ErrWASIContext reports that a process's WASI context could not be built from its config
// (a preopened directory that cannot be opened, a string WASI rejects). The original traps
// the spawning process for it (process.md, spawn check 6).
var ErrWASIContext = errors.New("cannot build the WASI context")

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
// failures (spawn returns 1 with an error id for them), or ErrWASIContext.
func (e *Environment) Spawn(ctx context.Context, o SpawnOptions) (*Process, error) {
	p := e.newProcess(o)
	p.module.Retain() // released by finish
	inst, err := p.instantiate(o.Parent)
	if err != nil {
		// The start section may have acquired resources before it failed.
		p.releaseResources()
		p.module.Release()
		p.cancel(nil) // release the context; the id stays consumed
		return nil, err
	}
	p.instance = inst
	if o.Link != 0 && o.Parent != nil {
		p.links = map[uint64]int64{o.Parent.id: o.Link}
		o.Parent.addLink(p.id, 0)
	}
	e.insert(p)
	e.rt.hooks.processSpawned(p)
	e.rt.live.Add(1)
	go p.run(o.ParamTypes, o.Params)
	return p, nil
}

// instantiate creates the process's instance: memory within its limit, WASI view from
// its config, and the module's start section.
func (p *Process) instantiate(parent *Process) (api.Module, error) {
	if p.module.minMemory > p.config.MaxMemory {
		return nil, fmt.Errorf("instantiate: the module's initial memory (%d bytes) exceeds the process memory limit (%d bytes)", p.module.minMemory, p.config.MaxMemory)
	}
	mc, err := p.moduleConfig(parent)
	if err != nil {
		return nil, err
	}
	// Sleeping through WASI (std::thread::sleep → poll_oneoff) must end at a kill too;
	// the config is shared with relatives, so the process's own sleeper is set last (a
	// plain struct copy in wazero).
	mc = mc.WithNanosleep(p.nanosleep)
	p.alloc = p.env.rt.pool.Allocator(p.config.MaxMemory)
	var stop func() bool
	if parent != nil {
		// The parent waits inside its spawn call while the module's start section runs;
		// a kill must end that wait as it ends any other blocking host call. The child is
		// then never created, as when the original drops the parent's spawn.
		stop = context.AfterFunc(parent.ctx, func() { p.cancel(context.Cause(parent.ctx)) })
	}
	inst, err := linmem.Instantiate(p.ctx, p.env.rt.wr, p.module.compiled, mc, p.alloc)
	if stop != nil && !stop() {
		if err == nil {
			_ = inst.Close(context.Background())
			p.alloc.Release()
		}
		return nil, fmt.Errorf("instantiate: the spawning process ended: %w", context.Cause(parent.ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	return inst, nil
}

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
		done:            make(chan struct{}),
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
	ctx, cancel := context.WithCancelCause(e.rt.baseCtx)
	p.ctx = WithProcess(ctx, p)
	p.cancel = cancel
	return p
}

// moduleConfig builds the WASI view of the process from its config. A child that shares
// its parent's config and streams (config_id -1, the common case) reuses the parent's
// module config: building one costs O(env²) in wazero and dominated spawn time.
func (p *Process) moduleConfig(parent *Process) (wazero.ModuleConfig, error) {
	if parent != nil && parent.modCfg != nil && parent.config == p.config &&
		parent.Stdin == p.Stdin && parent.Stdout == p.Stdout && parent.Stderr == p.Stderr {
		p.modCfg = parent.modCfg
		return p.modCfg, nil
	}
	mc, err := p.buildModuleConfig()
	if err != nil {
		return nil, err
	}
	p.modCfg = mc
	return mc, nil
}

func (p *Process) buildModuleConfig() (wazero.ModuleConfig, error) {
	cfg := p.config
	mc := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions().
		WithStdin(p.Stdin).
		WithStdout(p.Stdout).
		WithStderr(p.Stderr).
		WithSysWalltime().
		WithSysNanotime().
		WithOsyield(runtime.Gosched).
		WithRandSource(rand.Reader).
		WithArgs(cfg.Args...)
	for _, kv := range cfg.Env {
		if containsNUL(kv.Key) || containsNUL(kv.Value) {
			return nil, fmt.Errorf("%w: environment variable %q contains a NUL byte", ErrWASIContext, kv.Key)
		}
		mc = mc.WithEnv(kv.Key, kv.Value)
	}
	for _, a := range cfg.Args {
		if containsNUL(a) {
			return nil, fmt.Errorf("%w: argument %q contains a NUL byte", ErrWASIContext, a)
		}
	}
	if len(cfg.Preopens) > 0 {
		fsc, err := p.env.rt.fsConfig(cfg.Preopens)
		if err != nil {
			return nil, err
		}
		mc = mc.WithFSConfig(fsc)
	}
	return mc, nil
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// fsConfig mounts the preopened directories, in order (guest fds 3, 4, …). Each host
// directory is confined with an os.Root (internal/sandboxfs): symlinks and ".." cannot
// lead out of it, unlike wazero's own directory mounts.
func (r *Runtime) fsConfig(preopens []permissions.Preopen) (wazero.FSConfig, error) {
	fsc := wazero.NewFSConfig()
	for _, d := range preopens {
		fs, err := r.mount(d.Host)
		if err != nil {
			return nil, fmt.Errorf("%w: preopen %q: %w", ErrWASIContext, d.Host, err)
		}
		fsc = fsc.(sysfs.FSConfig).WithSysFSMount(fs, d.Guest)
	}
	return fsc, nil
}

// mount returns the confined filesystem of a host directory, shared by every process
// that preopens it (one descriptor per directory, not per process).
func (r *Runtime) mount(host string) (sandboxfs.FS, error) {
	abs, err := filepath.Abs(host)
	if err != nil {
		return nil, err
	}
	r.mountsMu.Lock()
	defer r.mountsMu.Unlock()
	if fs, ok := r.mounts[abs]; ok {
		return fs, nil
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("not a directory")
	}
	fs, err := sandboxfs.New(abs, false)
	if err != nil {
		return nil, err
	}
	if r.mounts == nil {
		r.mounts = make(map[string]sandboxfs.FS)
	}
	r.mounts[abs] = fs
	return fs, nil
}

// run calls the entry function on the process's goroutine and then runs the death path.
func (p *Process) run(types []api.ValueType, params []uint64) {
	var death error
	defer func() {
		if r := recover(); r != nil {
			death = fmt.Errorf("runtime error in process %d: %v", p.id, r)
			p.env.rt.log.Error("process crashed the host side", "process", p.id, "panic", r)
		}
		p.finish(death)
		p.env.rt.live.Done()
	}()
	death = p.call(types, params)
}

func (p *Process) call(types []api.ValueType, params []uint64) error {
	fn := p.instance.ExportedFunction(p.entry)
	if fn == nil {
		return fmt.Errorf("entry function %q not found", p.entry)
	}
	def := fn.Definition()
	if len(def.ResultTypes()) != 0 {
		return fmt.Errorf("entry function %q returns values; it must return nothing", p.entry)
	}
	if !sameTypes(def.ParamTypes(), types) {
		return fmt.Errorf("entry function %q has parameters (%s), spawn passed (%s)", p.entry, typeList(def.ParamTypes()), typeList(types))
	}
	_, err := fn.Call(p.ctx, params...)
	return p.classify(err)
}

// classify turns the result of a guest call into a death cause: nil for a normal end.
func (p *Process) classify(err error) error {
	if err == nil {
		return nil
	}
	if p.ctx.Err() != nil {
		return context.Cause(p.ctx)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() == 0 {
			return nil
		}
		return &ExitError{Code: exit.ExitCode()}
	}
	return err
}

func typeList(ts []api.ValueType) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += api.ValueTypeName(t)
	}
	return s
}

// nanosleep is the process's WASI sleep: like sleep_ms, a kill or fatal link death ends it
// at once (it unwinds the guest through the WASI call with the death cause).
func (p *Process) nanosleep(ns int64) {
	if ns <= 0 {
		return
	}
	t := time.NewTimer(time.Duration(ns))
	defer t.Stop()
	p.setState(StateSleeping)
	defer p.setState(StateRunning)
	select {
	case <-t.C:
	case <-p.ctx.Done():
		p.checkAlive(p.ctx)
	}
}
