package metricsapi

import (
	"context"
	"unicode/utf8"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// guest holds the bodies of the lunatic::metrics functions. Every one traps on a name out
// of bounds or not UTF-8 (docs/abi/metrics.md), never blocks and returns nothing.
type guest struct{ m *metrics.Metrics }

// name returns a view of the metric name in guest memory (valid until the guest runs).
func name(mod api.Module, fn string, stack []uint64) []byte {
	b := guestmem.View(mod, fn, uint32(stack[0]), uint32(stack[1]))
	if !utf8.Valid(b) {
		vm.Throw(fn, "metric name is not valid UTF-8")
	}
	return b
}

func (g guest) counter(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestCounterAdd(name(mod, fn, stack), stack[2])
}

func (g guest) incrementCounter(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestCounterAdd(name(mod, fn, stack), 1)
}

func (g guest) gauge(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestGaugeSet(name(mod, fn, stack), api.DecodeF64(stack[2]))
}

func (g guest) incrementGauge(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestGaugeAdd(name(mod, fn, stack), api.DecodeF64(stack[2]))
}

func (g guest) decrementGauge(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestGaugeAdd(name(mod, fn, stack), -api.DecodeF64(stack[2]))
}

func (g guest) histogram(_ context.Context, fn string, mod api.Module, stack []uint64) {
	g.m.GuestHistogramObserve(name(mod, fn, stack), api.DecodeF64(stack[2]))
}
