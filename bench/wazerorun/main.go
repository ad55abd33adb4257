// Command wazerorun runs a WASI command module with plain wazero, the way `wazero run`
// does: compile (through an on-disk compilation cache when -cache-dir is given),
// instantiate with WASI and the host's stdio, run _start, exit with its exit code. It is
// the baseline of the cold-start benchmark (bench/coldstart_test.go).
//
//	wazerorun [-cache-dir DIR] module.wasm [args…]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(argv []string) int {
	fl := flag.NewFlagSet("wazerorun", flag.ContinueOnError)
	cacheDir := fl.String("cache-dir", "", "compilation cache `DIR` (none when empty)")
	if err := fl.Parse(argv); err != nil || fl.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: wazerorun [-cache-dir DIR] module.wasm [args…]")
		return 2
	}
	code, err := runModule(context.Background(), *cacheDir, fl.Arg(0), fl.Args()[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "wazerorun: %v\n", err)
	}
	return code
}

func runModule(ctx context.Context, cacheDir, path string, args []string) (int, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return 1, fmt.Errorf("read module: %w", err)
	}
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return 1, fmt.Errorf("compilation cache %q: %w", cacheDir, err)
		}
		defer cache.Close(ctx)
		cfg = cfg.WithCompilationCache(cache)
	}
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		return 1, fmt.Errorf("compile %s: %w", path, err)
	}
	mc := wazero.NewModuleConfig().
		WithArgs(append([]string{filepath.Base(path)}, args...)...).
		WithStdin(os.Stdin).WithStdout(os.Stdout).WithStderr(os.Stderr).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep()
	_, err = r.InstantiateModule(ctx, cm, mc)
	var exit *sys.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		return int(exit.ExitCode()), nil
	default:
		return 1, fmt.Errorf("run %s: %w", path, err)
	}
}
