package cli

import "github.com/lunatic-go/lunatic/scheduler"

// instrument is the module rewriter that adds preemption points (and approximate fuel
// metering); instrumentExact the one that counts every operator, for processes with a
// max_fuel limit.
var (
	instrument      = scheduler.Instrument
	instrumentExact = scheduler.InstrumentExact
)
