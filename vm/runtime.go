package vm

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tetratelabs/wazero"
)

// Options configure a Runtime.
type Options struct {
	// CacheDir is where wazero keeps compiled machine code between runs; "" disables the
	// on-disk cache.
	CacheDir string
	// Instrument rewrites module bytes before compilation so they charge fuel and yield
	// (scheduler.Instrument). nil leaves modules as they are: such processes cannot be
	// preempted, killed while computing, or held to a fuel limit.
	Instrument func(wasm []byte) ([]byte, error)
	// Observer receives runtime events (metrics). May be nil.
	Observer Observer
	// Logger receives diagnostics. nil discards them.
	Logger *slog.Logger
}

// Runtime owns one wazero runtime: the host modules instantiated into it, the compiled
// modules, and the environments of processes.
type Runtime struct {
	wr      wazero.Runtime
	cache   wazero.CompilationCache
	opts    Options
	hooks   hooks
	log     *slog.Logger
	baseCtx context.Context
	stop    context.CancelFunc
}

// New creates a runtime. Host modules are added afterwards through Wazero().
func New(ctx context.Context, opts Options) (*Runtime, error) {
	cfg := wazero.NewRuntimeConfig()
	var cache wazero.CompilationCache
	if opts.CacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(opts.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("compilation cache %q: %w", opts.CacheDir, err)
		}
		cache = c
		cfg = cfg.WithCompilationCache(c)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base, stop := context.WithCancel(context.Background())
	r := &Runtime{
		wr:      wazero.NewRuntimeWithConfig(ctx, cfg),
		cache:   cache,
		opts:    opts,
		hooks:   hooks{o: opts.Observer},
		log:     log,
		baseCtx: base,
		stop:    stop,
	}
	if err := r.instantiateScheduler(ctx); err != nil {
		_ = r.Close(ctx)
		return nil, err
	}
	return r, nil
}

// Wazero is the underlying wazero runtime, for instantiating host modules.
func (r *Runtime) Wazero() wazero.Runtime { return r.wr }

// Logger is the runtime's diagnostics logger.
func (r *Runtime) Logger() *slog.Logger { return r.log }

// Close tears everything down: running processes are abandoned without notifications.
func (r *Runtime) Close(ctx context.Context) error {
	r.stop()
	err := r.wr.Close(ctx)
	if r.cache != nil {
		if e := r.cache.Close(ctx); err == nil {
			err = e
		}
	}
	return err
}
