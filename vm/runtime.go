package vm

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/lunatic-go/lunatic/vm/internal/linmem"
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
	// MemoryReserve is the largest size any linear memory may reach, whatever max_memory
	// says; 0 picks the default (512 MiB). It costs no address space up front: a memory
	// holds a region of its own size class and moves as it grows.
	MemoryReserve uint64
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
	pool    *linmem.Pool
	live    sync.WaitGroup // processes whose goroutine has not finished

	node atomic.Pointer[nodeRef] // cluster membership, nil unless a node

	envsMu sync.Mutex
	envs   []*Environment // every environment, for Close to wake blocked receives

	mountsMu sync.Mutex
	mounts   map[string]sandboxfs.FS // preopened host directories, by absolute path
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
		pool:    linmem.NewPool(linmem.Config{Reserve: opts.MemoryReserve}),
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

// closeWait bounds how long Close waits for killed processes to unwind.
const closeWait = 5 * time.Second

// Close kills every process, waits for them to unwind, and releases the runtime. A process
// stuck where a kill cannot reach it (a blocking WASI call) is abandoned together with the
// wazero runtime: freeing memory that guest code may still touch would crash the host.
func (r *Runtime) Close(ctx context.Context) error {
	r.stop()
	r.envsMu.Lock()
	envs := r.envs
	r.envsMu.Unlock()
	for _, e := range envs {
		for _, p := range e.Processes() {
			p.interrupt()
		}
	}
	ended := make(chan struct{})
	go func() { r.live.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(closeWait):
		r.log.Warn("processes still running at shutdown; leaving their runtime open")
		return nil
	}
	err := r.wr.Close(ctx)
	r.pool.Close()
	r.mountsMu.Lock()
	for _, fs := range r.mounts {
		_ = fs.Close()
	}
	r.mounts = nil
	r.mountsMu.Unlock()
	if r.cache != nil {
		if e := r.cache.Close(ctx); err == nil {
			err = e
		}
	}
	return err
}
