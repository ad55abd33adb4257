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

	"github.com/lunatic-go/lunatic/scheduler"
)

// Epoch preemption (modules instrumented with scheduler.InstrumentEpoch, see
// PreemptInstrumentation). Each check point of such a module compares the
// runtime's epoch, a global shared by every instance, with the instance's
// deadline, and yields once the epoch reaches it. The epoch advances every
// TimeSlice; a yielding process gets the next epoch as its deadline, so a
// process computes for at most about one slice between two yields. A kill
// stores the smallest deadline, so the process yields at its next check.
//
// A goroutine on a Go timer cannot be the clock: it needs a P, and while
// every P runs guest code that does not yield (GOMAXPROCS spinning processes,
// or any spinning process while the Go runtime waits to stop the world for a
// garbage collection) it cannot run; worse, a Go timer fires only on a P that
// schedules, so one created on the P a spinner now holds may never fire. On
// Linux the clock is a watchdog (epoch_linux.go): a goroutine reads a timerfd
// into the epoch's storage, so at each tick the kernel itself stores a
// positive number there, which needs no P. Normal epoch values are negative,
// so every deadline is passed and every process yields, freeing the Ps; the
// goroutine, back on one, stores the next normal epoch and reads again.
// Without it (other systems) PreemptInstrumentation is the counting
// instrumentation, and a Go timer drives InstrumentEpoch modules if a host
// uses them anyway.
const (
	// TimeSlice is how long a process without max_fuel computes between two
	// yields while others may want its thread.
	TimeSlice = 500 * time.Microsecond
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
// scheduler.InstrumentEpoch where the runtime has an epoch watchdog (Linux),
// scheduler.Instrument (fuel counting) elsewhere.
func PreemptInstrumentation() func([]byte) ([]byte, error) {
	if EpochPreemption() {
		return scheduler.InstrumentEpoch
	}
	return scheduler.Instrument
}

// EpochPreemption reports whether PreemptInstrumentation is the epoch one: on Linux
// with LUNATIC_PREEMPT=epoch in the environment. It is not the default yet: with it, the
// 10,000-process ring benchmark left a process that never reached its receive (RATIONALE,
// "Why epoch preemption for processes without max_fuel?").
func EpochPreemption() bool { return haveWatchdog && os.Getenv("LUNATIC_PREEMPT") == "epoch" }

// valuePointer is the lunatic patch of wazero's mutable globals
// (third_party/wazero/README.lunatic.md).
type valuePointer interface{ ValuePointer() *uint64 }

// epochClock advances the epoch of a runtime.
type epochClock struct {
	word   *uint64      // the epoch global's storage
	ticks  atomic.Int64 // epochs since the start
	yields atomic.Int64 // yields of epoch processes, to tell an idle runtime
	seen   int64        // yields at the previous tick (owned by the ticking goroutine)
	// watched is set when the watchdog is the clock; reading is true while its
	// goroutine is (about to be) blocked in the read that the kernel completes at the
	// next tick. Between that read and the next one the goroutine needs a P: a process
	// given a future deadline then could spin on the only P and the epoch would never
	// advance, so epochYield hands out a passed deadline until reading is true again.
	watched atomic.Bool
	reading atomic.Bool

	once      sync.Once // starts the clock
	closeOnce sync.Once
	stop      chan struct{}
	done      chan struct{}
	dog       *watchdog
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
	atomic.StoreUint64(r.epoch.word, epochValue(0))
	return nil
}

// next is the deadline of a process that yields now: the next epoch.
func (c *epochClock) next() uint64 { return epochValue(c.ticks.Load() + 1) }

// start runs the clock (once, when the first epoch process spawns).
func (c *epochClock) start(log func(string, ...any)) {
	c.once.Do(func() {
		dog, err := startWatchdog(c.word, c.tick, &c.reading)
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

// tick advances the epoch and returns how long until the next tick: TimeSlice, or
// idleTick when no process yielded since the previous tick (none computed across it).
func (c *epochClock) tick() time.Duration {
	n := c.ticks.Add(1)
	atomic.StoreUint64(c.word, epochValue(n))
	if y := c.yields.Load(); y != c.seen {
		c.seen = y
		return TimeSlice
	}
	return idleTick
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
		t.Reset(c.tick())
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
// an epoch module: it sets the next deadline, charges a slice, ends a killed
// process and lets other goroutines run.
func (r *Runtime) epochYield(ctx context.Context, p *Process, deadline *uint64) {
	r.epoch.yields.Add(1)
	// Set the deadline before looking for a kill: a kill stores deadlineNow after
	// cancelling, so either this sees the cancellation or the guest sees deadlineNow.
	if r.epoch.watched.Load() && !r.epoch.reading.Load() {
		// The clock's goroutine is between two reads and needs a P to get back: keep
		// yielding at every check until it is in its read again.
		atomic.StoreUint64(deadline, deadlineNow)
	} else {
		atomic.StoreUint64(deadline, r.epoch.next())
	}
	if p == nil {
		runtime.Gosched()
		return
	}
	p.checkAlive(ctx)
	tick := r.epoch.ticks.Load()
	if !p.epochStarted {
		// The first check of a new process (its deadline starts passed): it has not run
		// long enough to owe anyone a turn.
		p.epochStarted, p.epochCharged = true, tick
		return
	}
	if tick != p.epochCharged {
		// A slice ended while the process computed (not a second yield in the same
		// epoch: a kill, or the watchdog's).
		p.epochCharged = tick
		used := p.fuelUsed.Add(FuelQuantum)
		r.hooks.fuelCharged(FuelQuantum)
		if limit := p.config.FuelLimit(); limit != 0 && used >= limit {
			panic(fmt.Errorf("%w: the process used its budget of %d fuel units (max_fuel %d), counted in time slices", ErrOutOfFuel, limit, p.config.MaxFuel))
		}
	}
	if wk := p.worker; wk != nil {
		r.workers.yielded(wk) // see workers.yielded
	}
	runtime.Gosched()
	p.checkAlive(ctx)
}

// preempt makes a process of an epoch module yield at its next check point.
func (p *Process) preempt() {
	if p.deadline != nil {
		atomic.StoreUint64(p.deadline, deadlineNow)
	}
}
