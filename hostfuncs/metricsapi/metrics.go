// Package metricsapi implements the lunatic::metrics host module: guest counters, gauges
// and histograms (docs/abi/metrics.md), recorded into the metrics given to
// Instantiate. A runtime without metrics gets functions that only validate their
// arguments, like the original runtime without an exporter.
package metricsapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/metrics"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleMetrics

// functions lists the host functions in ABI order, recording into m (nil: validate only).
func functions(m *metrics.Metrics) []hostfunc.Func {
	g := guest{m: m}
	const name = "name_str_ptr i32, name_str_len i32"
	return []hostfunc.Func{
		{Name: "counter", Params: name + ", value i64", Fn: g.counter},
		{Name: "increment_counter", Params: name, Fn: g.incrementCounter},
		{Name: "gauge", Params: name + ", value f64", Fn: g.gauge},
		{Name: "increment_gauge", Params: name + ", value f64", Fn: g.incrementGauge},
		{Name: "decrement_gauge", Params: name + ", value f64", Fn: g.decrementGauge},
		{Name: "histogram", Params: name + ", value f64", Fn: g.histogram},
	}
}

// Instantiate instantiates the host module into r, recording guest metrics into m; with
// a nil m the functions only validate their arguments.
func Instantiate(ctx context.Context, r wazero.Runtime, m *metrics.Metrics) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions(m))
}
