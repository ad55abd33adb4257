package scheduler

import (
	"errors"
	"testing"
)

// TestFuelLoop checks that a loop of n iterations with a static cost of 12
// per iteration calls yield about n*12/quantum times.
func TestFuelLoop(t *testing.T) {
	const cost = 12
	inst := instrument(t, fixture(t, "loop"))
	for _, tc := range []struct{ n, quantum int64 }{
		{1, 1 << 40},
		{100_000, 10_000},
		{1_000_000, 1_000},
		{3_000, 7},
	} {
		h := &fuelHost{quantum: tc.quantum}
		mod := instantiate(t, newRuntime(t, h), inst)
		got, err := call(mod, "spin", uint64(tc.n))
		if err != nil {
			t.Fatal(err)
		}
		if want := uint64(tc.n * (tc.n - 1) / 2); got[0] != want {
			t.Errorf("spin(%d) = %d, want %d", tc.n, got[0], want)
		}
		// The counter starts at 0, so the first check yields. Each yield
		// sets the counter to quantum after it went below zero by less than
		// one iteration's cost, so a yield covers quantum to quantum+cost.
		lo := (tc.n * cost) / (tc.quantum + cost)
		hi := (tc.n*cost+tc.quantum-1)/tc.quantum + 1
		if y := h.yields.Load(); y < lo || y > hi {
			t.Errorf("n=%d quantum=%d: %d yields, want %d..%d", tc.n, tc.quantum, y, lo, hi)
		}
		left := int64(mod.ExportedGlobal(FuelExport).Get())
		if left < -cost || left > tc.quantum {
			t.Errorf("n=%d quantum=%d: %d fuel left, want in [-%d, %d]", tc.n, tc.quantum, left, cost, tc.quantum)
		}
	}
}

// TestFuelStopsInfiniteLoop checks that a guest spinning in `loop br` keeps
// calling yield, so that the host can stop it.
func TestFuelStopsInfiniteLoop(t *testing.T) {
	h := &fuelHost{quantum: 1000, limit: 50}
	mod := instantiate(t, newRuntime(t, h), instrument(t, fixture(t, "loop")))
	_, err := call(mod, "forever")
	if !errors.Is(err, errOutOfFuel) {
		t.Fatalf("forever returned %v, want %v", err, errOutOfFuel)
	}
	if y := h.yields.Load(); y != 51 {
		t.Errorf("%d yields, want 51", y)
	}
}

// TestFuelCharges checks the charge per iteration of loops with branches and
// calls, and that the first check always yields.
func TestFuelCharges(t *testing.T) {
	inst := instrument(t, fixture(t, "loop"))
	for _, tc := range []struct {
		export string
		n      uint64
		lo, hi int64 // fuel charged per iteration
	}{
		// branchy: condition and if (4) + longer arm (6, the shorter is 4)
		// + step (4) + br_if and its condition (4) = 18.
		{export: "branchy", n: 10_000, lo: 18, hi: 18},
		// calls: loop body 7 + leaf 3 = 10.
		{export: "calls", n: 10_000, lo: 10, hi: 10},
	} {
		orig := instantiate(t, newRuntime(t, &fuelHost{}), fixture(t, "loop"))
		want, err := call(orig, tc.export, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		h := &fuelHost{quantum: 1 << 40}
		mod := instantiate(t, newRuntime(t, h), inst)
		got, err := call(mod, tc.export, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != want[0] {
			t.Errorf("%s(%d) = %d, original %d", tc.export, tc.n, got[0], want[0])
		}
		if h.yields.Load() != 1 {
			t.Errorf("%s: %d yields, want exactly 1 (the first check)", tc.export, h.yields.Load())
		}
		used := h.quantum - int64(mod.ExportedGlobal(FuelExport).Get())
		perIter := used / int64(tc.n)
		if perIter < tc.lo || perIter > tc.hi {
			t.Errorf("%s: %d fuel for %d iterations (%d each), want %d..%d each", tc.export, used, tc.n, perIter, tc.lo, tc.hi)
		}
	}
}
