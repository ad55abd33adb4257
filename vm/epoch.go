package vm

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/lunatic-go/lunatic/internal/tickthread"
	"github.com/lunatic-go/lunatic/scheduler"
)

// Epoch preemption (modules instrumented with scheduler.InstrumentEpoch, see
// PreemptInstrumentation). Each check point of such a module compares the
// runtime's epoch, a global shared by every instance, with the instance's
// deadline, and yields once the epoch reaches it. The epoch advances every
// TimeSlice (every loneSlice while nothing waits for the computing processes'
// threads, see tick); a yielding process gets the next epoch as its deadline, so a
// process computes for at most about one period between two yields. A kill
// stores the smallest deadline, so the process yields at its next check.
//
// A goroutine on a Go timer cannot be the clock: it needs a P, and while
// every P runs guest code that does not yield (GOMAXPROCS spinning processes,
// or any spinning process while the Go runtime waits to stop the world for a
// garbage collection) it cannot run; worse, a Go timer fires only on a P that
// schedules, so one created on the P a spinner now holds may never fire. On
// Linux the clock is a watchdog (epoch_linux.go): a thread reads a timerfd
// into the epoch's storage, so at each tick the kernel itself stores a
// positive number there, which needs no P. Normal epoch values are negative,
// so every deadline is passed and every process yields, freeing the Ps; the
// first yield that sees it stores the next normal epoch and arms the timer
// again. On amd64 that thread is outside the Go runtime; elsewhere goroutines
// read (epoch_linux.go).
// Without it (other systems) PreemptInstrumentation is the counting
// instrumentation, and a Go timer drives InstrumentEpoch modules if a host
// uses them anyway.
const (
	// TimeSlice is how long a process without max_fuel computes between two
	// yields while others may want its thread.
	TimeSlice = 500 * time.Microsecond
	// minRun is how long a process computes since it last got its thread before a yield
	// gives the thread away (see epochYield).
	minRun = TimeSlice / 10
	// loneSlice is the clock's period while processes compute and nothing waits for
	// their threads (epochClock.tick): a tick then only costs.
	loneSlice = 4 * TimeSlice
	// idleTick is the clock's period once a tick has passed without any
	// process yielding (no process was computing across it).
	idleTick = 10 * time.Millisecond
	// epochBase makes normal epoch values negative (see the watchdog).
	epochBase = math.MinInt64 / 2
	// deadlineNow is a deadline every epoch has reached (math.MinInt64).
	deadlineNow uint64 = 1 << 63
)

// epochValue is the value of the epoch global n ticks after the start.
func epochValue(n int64) uint64 { return uint64(epochBase + n) }

// PreemptInstrumentation returns the instrumentation for Options.Instrument:
// scheduler.InstrumentEpochLoops where function entries are preempted through the stack
// bound (BoundPreemption: Linux amd64), scheduler.InstrumentEpoch where the runtime has
// an epoch watchdog otherwise (Linux), scheduler.Instrument (fuel counting) elsewhere.
func PreemptInstrumentation() func([]byte) ([]byte, error) {
	if BoundPreemption() {
		return scheduler.InstrumentEpochLoops
	}
	if EpochPreemption() {
		return scheduler.InstrumentEpoch
	}
	return scheduler.Instrument
}

// BoundPreemption reports whether the epoch instrumentation checks the back edges of
// loops only (scheduler.InstrumentEpochLoops) and function entries are preempted through
// wazero's stack bound: at each tick the clock's thread stores experimental.PreemptBound
// in the stack bound word of every running process's innermost call, and the next
// function entry or loop poll calls the process's stack limiter's Preempt. Where a tick
// thread runs (Linux amd64), unless LUNATIC_PREEMPT_ENTRIES=checks is in the environment
// (entry checks, as elsewhere).
func BoundPreemption() bool {
	return EpochPreemption() && tickthread.Supported && os.Getenv("LUNATIC_PREEMPT_ENTRIES") != "checks"
}

// Preempt is the experimental.Preempter of a process's stack limiter (BoundPreemption):
// a tick or a kill stored experimental.PreemptBound in the stack bound of its running
// call and a function entry found it. It is the yield of an epoch check point.
func (*stackAccount) Preempt(ctx context.Context) {
	p := ProcessFrom(ctx)
	if p == nil {
		return
	}
	if p.deadline == nil {
		// Not an epoch module: the exact instrumentation yields by itself, but a kill
		// lands here at once.
		p.checkAlive(ctx)
		return
	}
	p.env.rt.epochYield(ctx, p, p.deadline)
}

// EpochPreemption reports whether PreemptInstrumentation is the epoch one: on Linux,
// unless LUNATIC_PREEMPT=counting is in the environment (which selects the counting
// instrumentation, as on systems without timerfd).
func EpochPreemption() bool { return haveWatchdog && os.Getenv("LUNATIC_PREEMPT") != "counting" }

// valuePointer is the lunatic patch of wazero's mutable globals
// (third_party/wazero/README.lunatic.md).
type valuePointer interface{ ValuePointer() *uint64 }

// epochClock advances the epoch of a runtime.
type epochClock struct {
	word *uint64 // the epoch global's storage
	// state is the number of epochs since the start times two, plus one while the
	// watchdog's reader is in (or past the point of no return before) the read that the
	// kernel completes at the next tick (always, where a thread outside the Go runtime
	// reads). Between that read and the next one a reading goroutine
	// needs a P: a process given a future deadline then could spin on the only P and the
	// epoch would never advance, so deadline hands out a passed deadline until the bit is
	// set again. Tick count and bit are one word so that a deadline computed from them is
	// always one that a pending read will pass.
	state atomic.Int64
	// yields counts the yields that gave a thread away (a process computed for minRun,
	// or code outside any process), to tell an idle runtime: a process that merely
	// ran across a tick, as every message of a busy ping-pong does now and then, does
	// not keep the clock at TimeSlice (a tick costs the reader's wake-up and a claim's
	// re-arming; where goroutines read, also a retake of the P their read holds;
	// see cluster's package doc).
	yields atomic.Int64
	seen   int64 // yields at the previous tick (owned by the goroutine that claimed the tick)
	// watched is set when the watchdog is the clock.
	watched atomic.Bool
	// waiting reports whether a process or goroutine waits for a thread (the runtime's
	// workers.waiting); nil: always.
	waiting func() bool
	// period is the clock's period since the last tick (nanoseconds): hurry shortens a
	// longer one. ended is the period of the epoch the last tick ended, for the fuel a
	// process computing across it is charged (slices).
	period, ended atomic.Int64
	origin        time.Time // for now

	once      sync.Once // starts the clock
	closeOnce sync.Once
	stop      chan struct{}
	done      chan struct{}
	dog       *watchdog
	// cells are the workers' cells of BoundPreemption (nil: none), which the clock
	// goes through at each tick (the tick thread does, or the goroutine that ticks).
	cells *tickthread.Table
}

// instantiateEpoch instantiates the module that exports the epoch.
func (r *Runtime) instantiateEpoch(ctx context.Context) error {
	mod, err := r.wr.InstantiateWithConfig(ctx, scheduler.EpochGlobalModule(),
		wazero.NewModuleConfig().WithName(scheduler.EpochModule))
	if err != nil {
		return fmt.Errorf("instantiate %s: %w", scheduler.EpochModule, err)
	}
	vp, ok := mod.ExportedGlobal(scheduler.EpochName).(valuePointer)
	if !ok {
		return fmt.Errorf("instantiate %s: the epoch global has no ValuePointer (wazero lacks lunatic's patch)", scheduler.EpochModule)
	}
	r.epoch.word = vp.ValuePointer()
	r.epoch.origin = time.Now()
	atomic.StoreUint64(r.epoch.word, epochValue(0))
	return nil
}

// now is the time since the runtime started (monotonic).
func (c *epochClock) now() time.Duration { return time.Since(c.origin) }

// ticks is the number of epochs since the start.
func (c *epochClock) ticks() int64 { return c.state.Load() >> 1 }

// deadline is the deadline of a process that goes on computing now: the next epoch, or
// one already passed while the watchdog is between two reads (it needs a P to get back
// to its read, and a process spinning on the only P would keep it from there).
func (c *epochClock) deadline() uint64 {
	s := c.state.Load()
	if c.watched.Load() && s&1 == 0 {
		return deadlineNow
	}
	return epochValue(s>>1 + 1)
}

// start runs the clock (once, when the first epoch process spawns).
func (c *epochClock) start(log func(string, ...any)) {
	c.once.Do(func() {
		dog, err := startWatchdog(c.word, c.tick, &c.state, c.cells)
		if err == nil {
			c.dog = dog
			c.watched.Store(true)
			return
		}
		log("no epoch watchdog: a process spinning on every thread may hold them until it yields", "err", err)
		c.stop, c.done = make(chan struct{}), make(chan struct{})
		go c.run()
	})
}

// tick stores epoch n (the state already says n) and returns how long until the next
// tick: TimeSlice while processes compute and others wait for a thread; loneSlice
// while they compute and nothing waits (preempting them would hand the thread back to
// them: a tick would only cost, 15-100 µs of the computing thread on this project's
// VM); idleTick when no process yielded since the previous tick (none computed across
// it). A process that has to queue for a busy worker meanwhile hurries the clock.
func (c *epochClock) tick(n int64) time.Duration {
	atomic.StoreUint64(c.word, epochValue(n))
	c.ended.Store(c.period.Load())
	d := idleTick
	if y := c.yields.Load(); y != c.seen {
		c.seen = y
		d = TimeSlice
		if c.waiting != nil && !c.waiting() {
			d = loneSlice
		}
	}
	c.period.Store(int64(d))
	return d
}

// slices is the fuel quanta a process that computed across the last tick is charged:
// one per TimeSlice of the epoch that tick ended (four for loneSlice), so that its
// fuel_used keeps counting about FuelQuantum per TimeSlice of computing. An idle or
// hurried epoch counts one: the process started computing somewhere in it.
func (c *epochClock) slices() uint64 {
	if c.ended.Load() == int64(loneSlice) {
		return uint64(loneSlice / TimeSlice)
	}
	return 1
}

// hurry makes a clock whose period is longer than TimeSlice tick now: something waits
// for a thread that computing processes hold (workers.enqueue). The tick's claim then
// finds it waiting and goes back to TimeSlice.
func (c *epochClock) hurry() {
	p := c.period.Load()
	if p <= int64(TimeSlice) || !c.watched.Load() || !c.period.CompareAndSwap(p, int64(TimeSlice)) {
		return // (watched orders the read of dog after start's write)
	}
	c.dog.hurry()
}

// run is the clock where there is no watchdog: a Go timer, which cannot fire while
// every P runs guest code.
func (c *epochClock) run() {
	defer close(c.done)
	t := time.NewTimer(TimeSlice)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		t.Reset(c.tick(c.state.Add(2) >> 1))
		if c.cells != nil {
			c.cells.Poison()
		}
	}
}

// close stops the clock and the watchdog; no clock starts after it. Runtime.Close may
// run more than once.
func (c *epochClock) close() {
	c.once.Do(func() {})
	c.closeOnce.Do(func() {
		if c.stop != nil {
			close(c.stop)
			<-c.done
		}
		c.dog.close()
	})
}

// epochYield is yield for a process (or an instance outside any process) of
// an epoch module: it charges a slice, lets other goroutines run if the process has
// computed for minRun since it last did, sets the next deadline and ends a killed process.
//
// The deadline is set when the process goes on computing, not when it stopped: a
// process that waited in the run queue across a tick must still get work done before
// its next yield. (It was set before runtime.Gosched: with thousands of processes
// runnable, the queue took longer than a slice to come round, every process found its
// deadline passed when it ran again and yielded at its first check, and none got
// anywhere: a 10,000-process ring never finished starting.) For the same reason a
// process that finds the epoch passed before it has computed for minRun goes on
// without giving its thread away: between the kernel's write and the watchdog's
// goroutine getting a P back every check yields, and that goroutine waits in the same
// run queue.
func (r *Runtime) epochYield(ctx context.Context, p *Process, deadline *uint64) {
	handoff := false
	if int64(atomic.LoadUint64(r.epoch.word)) >= 0 {
		// The kernel has written the epoch and nobody may be there to advance it (no
		// process ran at the tick, or the goroutine whose read it completed waits in
		// the run queue behind every runnable process): advance it here and arm the
		// timer (epoch_linux.go). Where goroutines read, claim starts the next one, and
		// until it runs deadlines are passed: let it run now.
		_, handoff = r.epoch.dog.claim()
	}
	if p == nil {
		r.epoch.yields.Add(1)
		runtime.Gosched()
		atomic.StoreUint64(deadline, r.epoch.deadline())
		return
	}
	p.epochYields.Add(1)
	now := r.epoch.now()
	tick := r.epoch.ticks()
	switch {
	case !p.epochStarted:
		// The first check of a new process (its deadline starts passed): it has not run
		// long enough to owe anyone a turn.
		p.epochStarted, p.epochCharged, p.epochResumed = true, tick, now
	default:
		if tick != p.epochCharged {
			// A slice ended while the process computed (not a second yield in the same
			// epoch: a kill, or the watchdog's).
			p.epochCharged = tick
			charge := uint64(FuelQuantum) * r.epoch.slices()
			used := p.fuelUsed.Add(charge)
			r.hooks.fuelCharged(charge)
			if limit := p.config.FuelLimit(); limit != 0 && used >= limit {
				panic(fmt.Errorf("%w: the process used its budget of %d fuel units (max_fuel %d), counted in time slices", ErrOutOfFuel, limit, p.config.MaxFuel))
			}
		}
		fresh := p.epochFresh
		p.epochFresh = false
		if fresh {
			p.epochResumed = now
		}
		if handoff || (!fresh && now-p.epochResumed >= minRun) {
			r.epoch.yields.Add(1)
			p.checkAlive(ctx)
			if wk := p.worker; wk != nil {
				r.workers.yielded(wk) // see workers.yielded
			}
			runtime.Gosched()
			p.epochResumed = r.epoch.now()
		}
	}
	// Set the deadline before looking for a kill: a kill stores deadlineNow after
	// cancelling, so either this sees the cancellation or the guest sees deadlineNow.
	atomic.StoreUint64(deadline, r.epoch.deadline())
	p.checkAlive(ctx)
}

// preempt makes a process of an epoch module yield at its next check point. Where
// function entries are preempted through the stack bound (BoundPreemption), the clock
// also ticks soon (at once, if its period is long): the tick stores the bound of every
// running call, this process's included.
func (p *Process) preempt() {
	p.deadlineMu.Lock()
	if p.deadline != nil {
		atomic.StoreUint64(p.deadline, deadlineNow)
	}
	p.deadlineMu.Unlock()
	if p.env.rt.cells != nil {
		p.env.rt.epoch.hurry()
	}
}
