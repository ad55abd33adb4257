// Package metricsapi implements the lunatic::metrics host module (guest counters, gauges
// and histograms, docs/abi/metrics.md) and connects the runtime to package metrics:
// Observer turns vm events into runtime metrics and serves the live process view.
//
// The module finds its metrics through the context it is instantiated with (WithMetrics),
// the way wazero's experimental options travel: hostfuncs.InstantiateAll needs no
// arguments for it, and a runtime without metrics gets functions that only validate their
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

const ns = ModuleName + "::"

type metricsKey struct{}

// WithMetrics returns a context that makes Instantiate record guest metrics in m.
func WithMetrics(ctx context.Context, m *metrics.Metrics) context.Context {
	return context.WithValue(ctx, metricsKey{}, m)
}

func metricsFrom(ctx context.Context) *metrics.Metrics {
	m, _ := ctx.Value(metricsKey{}).(*metrics.Metrics)
	return m
}

type t = []api.ValueType

const (
	i32 = hostfunc.I32
	i64 = hostfunc.I64
	f64 = hostfunc.F64
)

// functions lists the host functions in ABI order, recording into m (nil: validate only).
func functions(m *metrics.Metrics) []hostfunc.Func {
	g := guest{m: m}
	name := []string{"name_str_ptr", "name_str_len"}
	withValue := []string{"name_str_ptr", "name_str_len", "value"}
	return []hostfunc.Func{
		{Name: "counter", Params: t{i32, i32, i64}, ParamNames: withValue, Fn: g.counter},
		{Name: "increment_counter", Params: t{i32, i32}, ParamNames: name, Fn: g.incrementCounter},
		{Name: "gauge", Params: t{i32, i32, f64}, ParamNames: withValue, Fn: g.gauge},
		{Name: "increment_gauge", Params: t{i32, i32, f64}, ParamNames: withValue, Fn: g.incrementGauge},
		{Name: "decrement_gauge", Params: t{i32, i32, f64}, ParamNames: withValue, Fn: g.decrementGauge},
		{Name: "histogram", Params: t{i32, i32, f64}, ParamNames: withValue, Fn: g.histogram},
	}
}

// Functions lists the host functions in ABI order (without metrics: they only validate).
var Functions = functions(nil)

// Export adds the module's functions to b; they record into nothing.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r, recording into the metrics attached
// to ctx with WithMetrics, if any.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, functions(metricsFrom(ctx)))
}
