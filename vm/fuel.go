package vm

import (
	"context"
	"fmt"
	"runtime"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/scheduler"
)

// The host import that instrumented modules call when their fuel counter runs out.
const (
	fuelModule = scheduler.ImportModule
	fuelFunc   = scheduler.ImportName
)

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
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("instantiate %s: %w", fuelModule, err)
	}
	return nil
}

// yield charges one quantum to the calling process, ends it if it was killed or is out of
// fuel, and lets other goroutines run. It returns the next quantum.
func (r *Runtime) yield(ctx context.Context, _ api.Module, stack []uint64) {
	stack[0] = FuelQuantum
	p := ProcessFrom(ctx)
	if p == nil {
		runtime.Gosched()
		return
	}
	p.checkAlive(ctx)
	used := p.fuelUsed.Add(FuelQuantum)
	r.hooks.fuelCharged(FuelQuantum)
	if limit := p.config.FuelLimit(); limit != 0 && used > limit {
		panic(fmt.Errorf("%w: the process used its budget of %d fuel units (max_fuel %d)", ErrOutOfFuel, limit, p.config.MaxFuel))
	}
	if used == FuelQuantum {
		// The first grant happens at the first instrumented function entry of a new
		// process: it has not run long enough to owe anyone a turn.
		return
	}
	runtime.Gosched()
	p.checkAlive(ctx)
}
