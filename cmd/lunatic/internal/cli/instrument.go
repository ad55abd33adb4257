package cli

import (
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// instrument is the module rewriter that adds preemption points (epoch checks on Linux,
// approximate fuel metering elsewhere: vm.PreemptInstrumentation); instrumentExact the
// one that counts every operator, for processes with a max_fuel limit.
var (
	instrument      = vm.PreemptInstrumentation()
	instrumentExact = scheduler.InstrumentExact
)
