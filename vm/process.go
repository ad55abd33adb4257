package vm

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm/internal/linmem"
)

// State is what a live process is doing, for observers (the live process view).
type State int32

// Process states.
const (
	StateRunning  State = iota
	StateWaiting        // blocked in receive
	StateSleeping       // in sleep_ms
	StateIO             // blocked in a host call on a socket, file or database
)

func (s State) String() string {
	switch s {
	case StateWaiting:
		return "waiting"
	case StateSleeping:
		return "sleeping"
	case StateIO:
		return "io"
	default:
		return "running"
	}
}

// Process is one lunatic process: a goroutine running one anonymous instance of a module.
//
// Fields documented as "owned" are used only by the process's own goroutine (its host
// calls) and need no lock. Everything other processes touch — mailbox, links, monitors,
// the die-when-link-dies flag — is guarded by mu.
type Process struct {
	id      uint64
	parent  uint64
	env     *Environment
	module  *Module
	config  *permissions.ProcessConfig
	entry   string
	started time.Time

	ctx      context.Context
	cancel   context.CancelCauseFunc
	instance api.Module
	alloc    *linmem.Allocator
	mem      account             // linear memory, tables, wasm stack and queued messages, bounded by max_memory
	tableMem uint64              // bytes charged to mem for the tables at instantiation
	stack    stackAccount        // the wasm call stack, charged to mem
	modCfg   wazero.ModuleConfig // WASI view, reused by children that inherit it
	done     chan struct{}       // created by the first Done (under mu), closedDone if that came after the end
	death    error               // set before done is closed

	mu              sync.Mutex
	mbox            mailbox
	links           linkMap // peer id → tag stored on my side (0 = none)
	monitors        map[uint64]struct{}
	dieWhenLinkDies bool
	dead            bool
	// epochStarted is set at the first yield of an epoch module (owned by the process's
	// goroutine); epochFresh is set when the process got its thread back from a
	// receive: its next yield counts its computing from then on (epochResumed) and
	// keeps the thread. (Here, next to the other flags, for the size of Process.)
	epochStarted bool
	epochFresh   bool
	recvTimed    bool // the suspended receive has a deadline

	state    atomic.Int32
	recvSkip int32         // queued messages the suspended receive skips (send_receive_skip_search; here for the size of Process)
	fuelUsed atomic.Uint64 // as of the last yield (or the end)
	// epochYields counts the checks that found the deadline passed (epoch modules).
	epochYields atomic.Int64
	// fuelGranted is the fuel granted to the instance so far: the fuel used is
	// fuelGranted minus what is left in the instance's counter, fuelGlobal (nil for an
	// uninstrumented module; set before the process starts).
	fuelGranted atomic.Int64
	fuelGlobal  api.Global
	// deadline is the storage of the instance's deadline global for an epoch module
	// (nil otherwise; set before the process starts).
	deadline *uint64
	// deadlineMu orders a preemption's store into *deadline before the instance is
	// recycled (finish clears deadline under it): the storage then belongs to another
	// process of the module.
	deadlineMu   sync.Mutex
	epochCharged int64         // the epoch of the last slice charged
	epochResumed time.Duration // when it last got its thread back at a yield (epochClock.now)

	scratch *Message // the one message being built or inspected (owned)
	// res holds the resource tables, the API-private values and the receive timer,
	// allocated on first use (owned): most processes never use them.
	res *processResources

	// Scheduling (workers.go, suspend.go), owned by whoever runs the process.
	worker       *worker                // the worker running the process now, nil between runs
	fn           api.Function           // the entry function, once started
	resumable    experimental.Resumable // fn's, nil when the call cannot suspend
	susp         experimental.Suspender
	startArgs    *startArgs                      // entry arguments, until started (nil without any)
	recvTags     []int64                         // filter of the suspended receive
	recvComplete func(*Process, *Message) uint64 // completes the suspended receive
	recvDeadline time.Duration                   // when it times out, since monoBase (park gives it to the mailbox)
	recvTimer    *time.Timer                     // ends a suspended receive at its deadline, reused

	tagBuf  []int64  // receive filter buffer, see TagBuffer (owned)
	waitTag [1]int64 // filter of send_receive_skip_search (owned)

	// Stdin, Stdout and Stderr are the process's standard streams; children spawned from
	// it inherit them.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// ID is the process id, unique inside its environment.
func (p *Process) ID() uint64 { return p.id }

// ParentID is the id of the process that spawned this one (0 for a root process).
func (p *Process) ParentID() uint64 { return p.parent }

// Env is the environment the process lives in.
func (p *Process) Env() *Environment { return p.env }

// Module is the module the process was spawned from.
func (p *Process) Module() *Module { return p.module }

// Config is the process's own configuration. It must not be modified.
func (p *Process) Config() *permissions.ProcessConfig { return p.config }

// Entry is the name of the export the process runs.
func (p *Process) Entry() string { return p.entry }

// Started is when the process was spawned.
func (p *Process) Started() time.Time { return p.started }

// Instance is the process's wazero module instance.
func (p *Process) Instance() api.Module { return p.instance }

// Context is the process context: cancelled, with the death cause, when the process is
// killed or a link death ends it.
func (p *Process) Context() context.Context { return p.ctx }

// Done is closed when the process has ended and every notification has been sent.
func (p *Process) Done() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done == nil {
		// Most processes are never waited for: their channel is made on demand.
		p.done = make(chan struct{})
	}
	return p.done
}

// closedDone is the Done channel of a process that ended before anyone asked for it.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// closeDone closes the Done channel, or makes Done return closedDone from now on.
func (p *Process) closeDone() {
	p.mu.Lock()
	if p.done == nil {
		p.done = closedDone
	} else {
		close(p.done)
	}
	p.mu.Unlock()
}

// Death is why the process ended: nil for a normal end. Valid after Done is closed.
func (p *Process) Death() error { return p.death }

// State reports what the process is doing now.
func (p *Process) State() State { return State(p.state.Load()) }

func (p *Process) setState(s State) { p.state.Store(int32(s)) }

// SetState records what the process is doing, for observers; host calls that block set
// StateIO and set StateRunning again when they return.
func (p *Process) SetState(s State) {
	if s == StateRunning {
		p.unblock()
	} else {
		p.block(s)
	}
}

// block records that the process waits in a host call, holding its worker: the
// scheduler lets other workers run the queued processes meanwhile. unblock undoes it.
func (p *Process) block(s State) {
	if p.State() == StateRunning {
		if wk := p.worker; wk != nil {
			p.env.rt.workers.blocked(wk)
		}
	}
	p.setState(s)
}

func (p *Process) unblock() {
	if p.State() != StateRunning {
		if p.worker != nil {
			p.env.rt.workers.unblocked(p.worker)
		}
	}
	p.setState(StateRunning)
}

// EpochYields returns how many times the process, running an epoch-instrumented module,
// came to a check point whose deadline had passed and called into the runtime: once per
// time slice it computes across, and after each kill or preemption.
func (p *Process) EpochYields() int64 { return p.epochYields.Load() }

// FuelUsed is the fuel the process used so far: read from its instance's counter, so exact
// while it waits in a host call and after it ended, and at most a quantum off while it
// computes. For a process whose config sets max_fuel it is the count of wasm operators
// executed, as the original (wasmtime) counts them. For the others it depends on the
// preemption instrumentation: with epoch checks (PreemptInstrumentation on Linux) nothing
// is counted and it is FuelQuantum per TimeSlice of the time slices that ended while the
// process was computing (a measure of CPU time: 100,000 ≈ TimeSlice of computing); with fuel
// counting it is that instrumentation's estimate (the static cost of a loop body charged
// on each back edge, of a recursive function at each entry, of other functions in their
// callers' charges), good for comparing processes but not a count.
func (p *Process) FuelUsed() uint64 {
	used := p.fuelUsed.Load()
	if g := p.fuelGlobal; g != nil {
		// The counter is read between two loads of the grant: once the process has
		// ended, the instance's globals may belong to another process.
		if granted := p.fuelGranted.Load(); granted != fuelSettled {
			now := granted - int64(g.Get())
			if p.fuelGranted.Load() == granted && now > int64(used) {
				return uint64(now)
			}
		}
	}
	return used
}

// MailboxLen is the number of queued messages.
func (p *Process) MailboxLen() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mbox.len()
}

// Links returns the ids of the linked processes.
func (p *Process) Links() []uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.links.peers()
	if out == nil {
		out = []uint64{}
	}
	return out
}

// Monitors returns the ids of the processes watching this one.
func (p *Process) Monitors() []uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]uint64, 0, len(p.monitors))
	for id := range p.monitors {
		out = append(out, id)
	}
	return out
}

// MemoryBytes is the current size of the process's linear memory.
func (p *Process) MemoryBytes() uint64 {
	if p.alloc == nil {
		return 0
	}
	return p.alloc.Size()
}

// Scratch returns the message being built or inspected (nil when there is none). It
// stays the process's: to own it, take it with TakeScratch.
func (p *Process) Scratch() *Message { return p.scratch }

// TakeScratch empties the scratch slot and returns what it held; the caller owns it.
func (p *Process) TakeScratch() *Message {
	m := p.scratch
	p.scratch = nil
	return m
}

// SetScratch makes m the scratch message, releasing the resources of the one it replaces
// (which nothing else may hold: it is recycled).
func (p *Process) SetScratch(m *Message) {
	if p.scratch != nil && p.scratch != m {
		p.scratch.recycle()
	}
	p.scratch = m
}

// checkAlive unwinds the guest if the process has been killed: it panics with the death
// cause, which wazero returns as the error of the guest call.
func (p *Process) checkAlive(ctx context.Context) {
	if ctx.Err() != nil {
		panic(context.Cause(ctx))
	}
}

// CheckAlive unwinds the calling guest when its process has been killed. Host functions
// that block call it after waking.
func (p *Process) CheckAlive() { p.checkAlive(p.ctx) }

// Sleep suspends the process for ms milliseconds; a kill or fatal link death ends it at
// once. Messages do not wake it.
func (p *Process) Sleep(ms uint64) {
	p.block(StateSleeping)
	defer p.unblock()
	if ms == 0 {
		p.checkAlive(p.ctx)
		return
	}
	if ms > uint64(1<<62)/uint64(time.Millisecond) {
		<-p.ctx.Done()
		p.checkAlive(p.ctx)
		return
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.ctx.Done():
		p.checkAlive(p.ctx)
	}
}

// LocalKey names an API-private resource table kept per process (sqlite connections, DNS
// iterators, timers). Values implementing io.Closer are closed when the process ends.
type LocalKey[T any] struct{ name string }

// NewLocalKey returns a new key; name is for debugging.
func NewLocalKey[T any](name string) *LocalKey[T] { return &LocalKey[T]{name: name} }

// Get returns the process's value for k, creating a zero T on first use.
func (k *LocalKey[T]) Get(p *Process) *T {
	r := p.resources()
	if v, ok := r.locals[k]; ok {
		return v.(*T)
	}
	if r.locals == nil {
		r.locals = make(map[any]any)
	}
	v := new(T)
	r.locals[k] = v
	return v
}
