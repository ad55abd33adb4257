package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestFeatures runs one export per feature group of features.wat (control
// flow, multi-value, sign extension and saturating conversions, bulk memory,
// reference types and tables, SIMD) with and without instrumentation: the
// results must be equal, and the instrumented module must have yielded.
func TestFeatures(t *testing.T) {
	calls := []struct {
		export string
		args   []uint64
	}{
		{"control", []uint64{1000}},
		{"unroll", []uint64{0}},
		{"unroll", []uint64{1}},
		{"unroll", []uint64{7}},
		{"unroll", []uint64{8}},
		{"unroll", []uint64{400}},
		{"multivalue", []uint64{30}},
		{"numeric", []uint64{0x1234_5678_9abc_def0}},
		{"numeric", []uint64{0xffff_ffff_ffff_ff80}},
		{"bulk", nil},
		{"tables", []uint64{0x1234}},
		{"simd", []uint64{500}},
	}
	orig := fixture(t, "features")
	for _, mode := range allModes {
		// bulk drops a segment and grows memory: a fresh original per mode.
		origMod := instantiate(t, newRuntime(t, &fuelHost{}), orig)
		inst := instrumentMode(t, orig, mode)
		h := &fuelHost{quantum: 100}
		instMod := instantiate(t, newRuntime(t, h), inst)
		ctx := context.Background()
		if mode == EpochLoops {
			// Loops poll the stack bound, which ticks set through the call's cell.
			e := newEntries(h)
			e.m, ctx = instMod, e.context(ctx)
		}
		h.tick(t, 100*time.Microsecond)
		if mode == EpochLoops {
			// The first check of the other epoch modes yields (their deadline starts
			// passed); a poll yields at a tick, so the run starts with one pending.
			atomic.StoreUint64(h.epoch, 1)
		}
		for _, c := range calls {
			t.Run(fmt.Sprintf("%s/%s%v", mode, c.export, c.args), func(t *testing.T) {
				want, err := call(origMod, c.export, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := callCtx(ctx, instMod, c.export, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("instrumented %v, original %v", got, want)
				}
			})
		}
		if mode == Epoch || mode == EpochLoops {
			// Yields depend on the ticks: the first check always yields.
			if h.yields.Load() < 1 {
				t.Errorf("%s: no yield", mode)
			}
		} else if h.yields.Load() < 10 {
			t.Errorf("%s: only %d yields with quantum 100", mode, h.yields.Load())
		}
	}
}
