package cli

// instrument is the module rewriter that adds fuel metering (scheduler.Instrument once
// it is wired in); nil runs modules uninstrumented.
var instrument func([]byte) ([]byte, error)
