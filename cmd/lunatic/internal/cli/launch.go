package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lunatic-go/lunatic/cmd/lunatic/internal/trapreport"
	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// Exit codes of a run that launch decides.
const (
	exitTrap = 134 // the root process trapped or was killed (like SIGABRT)
)

// launch runs the module as the root process of a new runtime and returns the exit code:
// the guest's proc_exit code, 0 for a normal end, exitTrap when the root process failed,
// exitFailure when the module could not be loaded. It reports problems on opts.Stderr.
func launch(ctx context.Context, opts *RunOptions) int {
	code, err := runRoot(ctx, opts)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "lunatic: %v\n", err)
	}
	return code
}

// newRuntime builds a runtime with every host module, as configured by opts.
func newRuntime(ctx context.Context, opts *RunOptions) (*vm.Runtime, error) {
	return newObservedRuntime(ctx, opts, nil)
}

// newObservedRuntime is newRuntime whose metrics go to prom (nil when --prometheus is off).
func newObservedRuntime(ctx context.Context, opts *RunOptions, prom *prometheusServer) (*vm.Runtime, error) {
	vopts := vm.Options{
		Logger: opts.Logger, Instrument: instrument, InstrumentExact: instrumentExact,
		MaxProcesses: opts.Limits.MaxProcesses, MaxTotalMemory: opts.Limits.MaxTotalMemory,
		MaxStack: opts.Limits.MaxStack,
	}
	guestMetrics := prom.attach(&vopts)
	if !opts.NoCache {
		dir, err := cacheDir(opts.CacheDir)
		if err != nil {
			opts.Logger.Warn("compilation cache disabled", "error", err)
		} else {
			vopts.CacheDir = dir
		}
	}
	rt, err := vm.New(ctx, vopts)
	if err != nil {
		return nil, err
	}
	prom.watchLimits(rt)
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero(), hostfuncs.WithMetrics(guestMetrics)); err != nil {
		_ = rt.Close(ctx)
		return nil, err
	}
	return rt, nil
}

// loadModule reads and compiles the module at path.
func loadModule(ctx context.Context, rt *vm.Runtime, path string) (*vm.Module, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	mod, err := rt.Compile(ctx, filepath.Base(path), wasm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return mod, nil
}

func runRoot(ctx context.Context, opts *RunOptions) (int, error) {
	prom, err := startPrometheus(opts.Prometheus, opts.Logger, opts.Stderr)
	if err != nil {
		return exitFailure, err
	}
	defer prom.stop()
	rt, err := newObservedRuntime(ctx, opts, prom)
	if err != nil {
		return exitFailure, err
	}
	// The runtime is not closed: when the root process ends, lunatic exits and every
	// other process ends with it, without notifications (docs/abi/process.md, "How a process ends").
	mod, err := loadModule(ctx, rt, opts.WasmPath)
	if err != nil {
		return exitFailure, err
	}
	cfg := rootConfig(opts)
	env := rt.NewEnvironment(1)
	p, err := env.Spawn(ctx, vm.SpawnOptions{
		Module: mod, Config: cfg, Entry: "_start",
		Stdin: opts.Stdin, Stdout: opts.Stdout, Stderr: opts.Stderr,
	})
	if err != nil {
		return exitFailure, fmt.Errorf("%s: %w", opts.WasmPath, err)
	}
	select {
	case <-p.Done():
	case <-ctx.Done():
		return exitTrap, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	return deathCode(opts.WasmPath, p.Death())
}

// deathCode maps how the root process ended to the exit code of lunatic.
func deathCode(path string, death error) (int, error) {
	var exit *vm.ExitError
	switch {
	case death == nil:
		return exitOK, nil
	case errors.As(death, &exit):
		return int(exit.Code), nil
	default:
		return exitTrap, fmt.Errorf("%s: process 1 failed: %s", filepath.Base(path), trapreport.Format(death))
	}
}

// rootConfig is the configuration of the root process: every capability, argv = the
// module's base name and the guest arguments, the guest environment, and the preopens.
func rootConfig(opts *RunOptions) *permissions.ProcessConfig {
	args := append([]string{filepath.Base(opts.WasmPath)}, opts.Args...)
	cfg := permissions.Root(args, envVars(opts.Env), rootPreopens(opts.Dirs))
	cfg.Net = opts.Limits.Net
	return cfg
}

// rootPreopens is "." followed by every --dir, as in the original.
func rootPreopens(dirs []Preopen) []permissions.Preopen {
	out := []permissions.Preopen{{Host: ".", Guest: "."}}
	for _, d := range dirs {
		out = append(out, permissions.Preopen{Host: d.Host, Guest: d.Guest})
	}
	return out
}

func envVars(env []string) []permissions.EnvVar {
	out := make([]permissions.EnvVar, 0, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, permissions.EnvVar{Key: k, Value: v})
	}
	return out
}

// cacheDir resolves the compilation cache directory: the flag, or <user cache>/lunatic.
func cacheDir(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "lunatic", "wazero"), nil
}
