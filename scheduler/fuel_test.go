package scheduler

import (
	"errors"
	"testing"
)

// TestFuelLoop checks that a loop of n iterations with a static cost of 12
// per iteration, charged on each of its n-1 back edges in Preempt mode,
// calls yield about (n-1)*12/quantum times.
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
		lo := ((tc.n - 1) * cost) / (tc.quantum + cost)
		hi := ((tc.n-1)*cost+tc.quantum-1)/tc.quantum + 1
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

// TestFuelCharges checks the charge of loops with branches and calls in
// Preempt mode, where each back edge charges the static cost of the loop
// body and of the check-less functions it calls, and in Exact mode, where the
// charge is the reference count of executed operators.
func TestFuelCharges(t *testing.T) {
	const n = 10_000
	for _, tc := range []struct {
		export  string
		perIter int64 // Preempt: fuel charged per back edge
	}{
		// branchy: condition and if (4) + longer arm (6, the shorter is 4)
		// + step (4) + br_if and its condition (4) = 18.
		{export: "branchy", perIter: 18},
		// calls: loop body 7 + leaf 3 = 10.
		{export: "calls", perIter: 10},
	} {
		orig := instantiate(t, newRuntime(t, &fuelHost{}), fixture(t, "loop"))
		want, err := call(orig, tc.export, n)
		if err != nil {
			t.Fatal(err)
		}
		ref := instantiate(t, newRuntime(t, &fuelHost{}), instrumentReference(t, fixture(t, "loop"), 0))
		if _, err := call(ref, tc.export, n); err != nil {
			t.Fatal(err)
		}
		count := -int64(ref.ExportedGlobal(FuelExport).Get())
		for _, mode := range modes {
			h := &fuelHost{quantum: 1 << 40}
			mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), mode))
			got, err := call(mod, tc.export, n)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != want[0] {
				t.Errorf("%s: %s(%d) = %d, original %d", mode, tc.export, n, got[0], want[0])
			}
			if h.yields.Load() != 1 {
				t.Errorf("%s: %s: %d yields, want exactly 1 (the first check)", mode, tc.export, h.yields.Load())
			}
			used := h.quantum - int64(mod.ExportedGlobal(FuelExport).Get())
			// The first back edge's charge takes the counter from 0 below
			// zero, and the yield's refill replaces it: n-2 are left.
			wantUsed := tc.perIter * (n - 2)
			if mode == Exact {
				wantUsed = count
			}
			if used != wantUsed {
				t.Errorf("%s: %s: %d fuel for %d iterations, want %d", mode, tc.export, used, n, wantUsed)
			}
		}
	}
}

// TestFuelRecursion checks that recursion without loops, through call and
// through call_indirect, keeps calling yield in both modes.
func TestFuelRecursion(t *testing.T) {
	const n = 5000
	for _, mode := range modes {
		for _, export := range []string{"direct", "indirect"} {
			h := &fuelHost{quantum: 100}
			mod := instantiate(t, newRuntime(t, h), instrumentMode(t, fixture(t, "loop"), mode))
			got, err := call(mod, export, n)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != n {
				t.Errorf("%s: %s(%d) = %d", mode, export, n, got[0])
			}
			// Each level runs at least 5 operators and passes one check.
			if y := h.yields.Load(); y < n*5/100/2 {
				t.Errorf("%s: %s: %d yields with quantum 100 over %d levels", mode, export, y, n)
			}
		}
	}
}
