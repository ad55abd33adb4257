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
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/lunatic-go/lunatic/permissions"
)

// ErrWASIContext reports that a process's WASI context could not be built from its config
// (a preopened directory that cannot be opened, a string WASI rejects). The original traps
// the spawning process for it (docs/abi/process.md, spawn).
var ErrWASIContext = errors.New("cannot build the WASI context")

// moduleConfig builds the WASI view of the process from its config. A child that shares
// its parent's config and streams (config_id -1, the common case) reuses the parent's
// module config: building one costs O(env²) in wazero and dominated spawn time.
func (p *Process) moduleConfig(parent *Process) (wazero.ModuleConfig, error) {
	if parent != nil && parent.modCfg != nil && parent.config == p.config &&
		parent.Stdin == p.Stdin && parent.Stdout == p.Stdout && parent.Stderr == p.Stderr {
		p.modCfg = parent.modCfg
		return p.modCfg, nil
	}
	if mc := p.env.lastModCfg.get(p); mc != nil {
		p.modCfg = mc
		return mc, nil
	}
	mc, err := p.buildModuleConfig()
	if err != nil {
		return nil, err
	}
	p.env.lastModCfg.put(p, mc)
	p.modCfg = mc
	return mc, nil
}

// modCfgCache remembers the last module config an environment built, for the next
// process spawned with the same config and streams by something else than a process
// sharing them (the host, or a parent passing a config of its own): a run of such spawns
// builds one, and its processes share it instead of keeping a copy each.
type modCfgCache struct {
	mu             sync.Mutex
	cfg            *permissions.ProcessConfig
	stdin          io.Reader
	stdout, stderr io.Writer
	mc             wazero.ModuleConfig
}

func (c *modCfgCache) get(p *Process) wazero.ModuleConfig {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mc != nil && c.cfg == p.config && c.stdin == p.Stdin && c.stdout == p.Stdout && c.stderr == p.Stderr {
		return c.mc
	}
	return nil
}

func (c *modCfgCache) put(p *Process, mc wazero.ModuleConfig) {
	c.mu.Lock()
	c.cfg, c.stdin, c.stdout, c.stderr, c.mc = p.config, p.Stdin, p.Stdout, p.Stderr, mc
	c.mu.Unlock()
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
		fs, err := r.mount(d.Host, d.ReadOnly)
		if err != nil {
			return nil, fmt.Errorf("%w: preopen %q: %w", ErrWASIContext, d.Host, err)
		}
		fsc = fsc.(sysfs.FSConfig).WithSysFSMount(fs, d.Guest)
	}
	return fsc, nil
}

// mount returns the confined filesystem of a host directory, shared by every process
// that preopens it the same way (one descriptor per directory, not per process).
func (r *Runtime) mount(host string, readOnly bool) (sandboxfs.FS, error) {
	abs, err := filepath.Abs(host)
	if err != nil {
		return nil, err
	}
	key := abs
	if readOnly {
		key = "ro:" + abs
	}
	r.mountsMu.Lock()
	defer r.mountsMu.Unlock()
	if fs, ok := r.mounts[key]; ok {
		return fs, nil
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("not a directory")
	}
	fs, err := sandboxfs.New(abs, readOnly)
	if err != nil {
		return nil, err
	}
	if r.mounts == nil {
		r.mounts = make(map[string]sandboxfs.FS)
	}
	r.mounts[key] = fs
	return fs, nil
}

// processNanosleep is WASI's sleep for a guest call of a process (see New): the
// process's own, or a plain sleep for a call from elsewhere.
func processNanosleep(ctx context.Context, ns int64) {
	if p := ProcessFrom(ctx); p != nil {
		p.nanosleep(ns)
		return
	}
	if ns > 0 {
		time.Sleep(time.Duration(ns))
	}
}

// nanosleep is the process's WASI sleep: like sleep_ms, a kill or fatal link death ends it
// at once (it unwinds the guest through the WASI call with the death cause).
func (p *Process) nanosleep(ns int64) {
	if ns <= 0 {
		return
	}
	t := time.NewTimer(time.Duration(ns))
	defer t.Stop()
	p.block(StateSleeping)
	defer p.unblock()
	select {
	case <-t.C:
	case <-p.ctx.Done():
		p.checkAlive(p.ctx)
	}
}
