package cli

import "github.com/lunatic-go/lunatic/scheduler"

// instrument is the module rewriter that adds fuel metering and preemption points.
var instrument = scheduler.Instrument
