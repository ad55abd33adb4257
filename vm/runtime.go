package vm

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/lunatic-go/lunatic/internal/tickthread"
	"github.com/lunatic-go/lunatic/vm/internal/linmem"
)

// Options configure a Runtime.
type Options struct {
	// CacheDir is where wazero keeps compiled machine code between runs; "" disables the
	// on-disk cache.
	CacheDir string
	// Instrument rewrites module bytes before compilation so they yield
	// (PreemptInstrumentation: scheduler.InstrumentEpoch, checks of the runtime's epoch,
	// or scheduler.Instrument, fuel counting). nil leaves modules as they are: such
	// processes cannot be preempted, killed while computing, or held to a fuel limit.
	Instrument func(wasm []byte) ([]byte, error)
	// InstrumentExact rewrites module bytes so that they charge every executed operator
	// (scheduler.InstrumentExact). Processes whose config sets max_fuel run this variant,
	// compiled when the first of them spawns; nil makes them run Instrument's.
	InstrumentExact func(wasm []byte) ([]byte, error)
	// Observer receives runtime events (metrics). May be nil.
	Observer Observer
	// Logger receives diagnostics. nil discards them.
	Logger *slog.Logger
	// MemoryReserve is the largest size any linear memory may reach, whatever max_memory
	// says; 0 picks the default (512 MiB). It costs no address space up front: a memory
	// holds a region of its own size class and moves as it grows.
	MemoryReserve uint64
	// MaxProcesses caps the live processes of the runtime (all environments); a spawn
	// past it fails with ErrSystemLimit. 0 means no cap.
	MaxProcesses int
	// MaxTotalMemory bounds the memory charged by every process together (linear
	// memories, tables, queued messages, ProcessOverhead each): grows past it return -1,
	// spawns fail with ErrSystemLimit and a mailbox that would pass it kills its
	// receiver. 0 means no bound.
	MaxTotalMemory uint64
	// MaxStack bounds the wasm call stack of each process, in bytes; 0 picks
	// DefaultMaxStack. The stack a process holds is charged to its max_memory and to
	// MaxTotalMemory, so it is also bounded by what those leave; a call that would grow
	// it further traps with "stack overflow".
	MaxStack uint64
	// NoSuspend keeps a goroutine blocked under every process that waits in receive,
	// instead of suspending its wasm call (suspend.go); for A/B measurements.
	// LUNATIC_SUSPEND=0 in the environment does the same.
	NoSuspend bool
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
	running atomic.Int64   // how many: live's count, which a WaitGroup does not tell
	timers  timers         // pending AfterFunc timers
	workers *workers       // goroutines that run processes
	epoch   epochClock     // the epoch of epoch-instrumented modules
	// cells, where function entries are preempted through wazero's stack bound
	// (BoundPreemption), holds the workers' cells that the clock's thread stores
	// experimental.PreemptBound through at each tick; nil otherwise.
	cells *tickthread.Table

	node atomic.Pointer[nodeRef] // cluster membership, nil unless a node

	noSuspend bool // Options.NoSuspend or LUNATIC_SUSPEND=0

	procCount atomic.Int64 // live processes (admit/dismiss)
	procPeak  atomic.Int64 // most live processes since memory was last returned
	returning atomic.Bool  // a return of memory to the OS is scheduled
	total     account      // the total memory budget

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
	// Sleeping through WASI (std::thread::sleep → poll_oneoff) must end at a kill too:
	// every process context derives from base, which makes poll_oneoff sleep through
	// the calling process's own sleeper. A module config can then be shared by many
	// processes as it is, instead of being copied per spawn to carry one.
	base, stop := newBaseContext(experimental.WithNanosleep(context.Background(), processNanosleep))
	r := &Runtime{
		wr:      wazero.NewRuntimeWithConfig(ctx, cfg),
		cache:   cache,
		opts:    opts,
		hooks:   hooks{o: opts.Observer},
		log:     log,
		baseCtx: base,
		stop:    stop,
		pool:    linmem.NewPool(linmem.Config{Reserve: opts.MemoryReserve}),
		workers: newWorkers(base.Done()),
	}
	r.total.budget, r.total.limit, r.total.capped = true, opts.MaxTotalMemory, opts.MaxTotalMemory != 0
	r.epoch.waiting = r.workers.waiting
	r.workers.hurry = r.epoch.hurry
	r.noSuspend = opts.NoSuspend || SuspensionDisabled()
	if err := r.instantiateScheduler(ctx); err != nil {
		_ = r.Close(ctx)
		return nil, err
	}
	if BoundPreemption() {
		// After the scheduler: the cells name the epoch word as their pending word.
		r.cells = tickthread.NewTable(experimental.PreemptBusy(), r.epoch.word)
		r.epoch.cells, r.workers.cells = r.cells, r.cells
	}
	return r, nil
}

// Wazero is the underlying wazero runtime, for instantiating host modules.
func (r *Runtime) Wazero() wazero.Runtime { return r.wr }

// Close stops every pending timer, kills every process, waits until they have unwound, and
// releases the runtime. A process stuck where a kill cannot reach it (a blocking WASI
// call) keeps Close waiting until ctx ends; Close then abandons it together with the
// wazero runtime, which it leaves open (freeing memory that guest code may still touch
// would crash the host), and returns an error that says how many processes it abandoned.
func (r *Runtime) Close(ctx context.Context) error {
	r.stopTimers()
	r.stop()
	r.envsMu.Lock()
	envs := r.envs
	r.envsMu.Unlock()
	for _, e := range envs {
		for _, p := range e.Processes() {
			p.interrupt()
			p.preempt()
		}
	}
	ended := make(chan struct{})
	go func() { r.live.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-ctx.Done():
		if n := r.running.Load(); n > 0 {
			r.log.Warn("processes still running at shutdown; leaving their runtime open", "processes", n)
			return fmt.Errorf("close runtime: abandoned %d process(es) that did not end when killed: %w", n, context.Cause(ctx))
		}
		<-ended // the last one is just leaving
	}
	r.epoch.close()
	err := r.wr.Close(context.WithoutCancel(ctx))
	r.pool.Close()
	r.mountsMu.Lock()
	for _, fs := range r.mounts {
		_ = fs.Close()
	}
	r.mounts = nil
	r.mountsMu.Unlock()
	if r.cache != nil {
		if e := r.cache.Close(context.WithoutCancel(ctx)); err == nil {
			err = e
		}
	}
	return err
}
