package vm

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/scheduler"
)

// The host import that instrumented modules call when their fuel counter runs out.
const (
	fuelModule = scheduler.ImportModule
	fuelFunc   = scheduler.ImportName
)

// fuelSettled is Process.fuelGranted once the process has ended: its fuel counter is no
// longer read.
const fuelSettled = math.MinInt64

// FuelQuantum is the fuel a process gets per yield: about this many wasm instructions run
// between two scheduling points. It equals lunatic's preemption interval and its
// max_fuel unit.
const FuelQuantum = 100_000

func (r *Runtime) instantiateScheduler(ctx context.Context) error {
	_, err := r.wr.NewHostModuleBuilder(fuelModule).
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(r.yield), nil, []api.ValueType{api.ValueTypeI64}).
		WithName("lunatic_fuel_yield").
		Export(fuelFunc).
		// The poll of scheduler.InstrumentEpochLoops, which wazero's compiler does not
		// call (it checks the stack bound instead); an interpreter would, and yield does
		// what a poll that found a request does.
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(r.yield), nil, []api.ValueType{api.ValueTypeI64}).
		WithName("lunatic_preempt_poll").
		Export(scheduler.PollName).
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("instantiate %s: %w", fuelModule, err)
	}
	return r.instantiateEpoch(ctx)
}

// yield is called by an instrumented instance whose fuel counter ran out. It charges what
// the process used since its last yield, ends it if it was killed or used its max_fuel
// budget, and lets other goroutines run. It returns the next grant: a quantum, or what is
// left of the budget if that is less.
//
// With a budget of max_fuel × 100,000, the process traps at the first check point (a
// function entry or a loop header of the exact instrumentation) where the operators it
// executed reach the budget, as under wasmtime's fuel.
//
// For an epoch module (see epoch.go) it sets the next deadline instead; the result is
// unused.
func (r *Runtime) yield(ctx context.Context, m api.Module, stack []uint64) {
	stack[0] = FuelQuantum
	p := ProcessFrom(ctx)
	if p != nil && p.deadline != nil {
		r.epochYield(ctx, p, p.deadline)
		return
	}
	if p == nil {
		if vp, ok := m.ExportedGlobal(scheduler.DeadlineExport).(valuePointer); ok {
			r.epochYield(ctx, nil, vp.ValuePointer())
			return
		}
		runtime.Gosched()
		return
	}
	p.checkAlive(ctx)
	first := p.fuelGranted.Load() == 0
	used := p.chargeFuel()
	grant := int64(FuelQuantum)
	if limit := p.config.FuelLimit(); limit != 0 {
		if used >= limit {
			panic(fmt.Errorf("%w: the process used its budget of %d fuel units (max_fuel %d)", ErrOutOfFuel, limit, p.config.MaxFuel))
		}
		if rest := limit - used; rest < uint64(grant) {
			grant = int64(rest)
		}
	}
	p.fuelGranted.Store(int64(used) + grant)
	stack[0] = uint64(grant)
	if first {
		// The first grant happens at the first check point of a new process: it has not
		// run long enough to owe anyone a turn.
		return
	}
	if wk := p.worker; wk != nil {
		r.workers.yielded(wk)
	}
	runtime.Gosched()
	p.checkAlive(ctx)
}

// chargeFuel brings fuelUsed up to what the instance's counter says and reports the
// difference to the observer. It runs on the process's goroutine.
func (p *Process) chargeFuel() uint64 {
	if p.fuelGlobal == nil {
		return p.fuelUsed.Load()
	}
	used := p.fuelGranted.Load() - int64(p.fuelGlobal.Get())
	prev := p.fuelUsed.Load()
	if used < 0 || uint64(used) <= prev {
		return prev
	}
	p.fuelUsed.Store(uint64(used))
	p.env.rt.hooks.fuelCharged(uint64(used) - prev)
	return uint64(used)
}

// settleFuel charges the fuel used since the last yield, when the process ends.
func (p *Process) settleFuel() { p.chargeFuel() }
