package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// exactHost implements the yield import as the runtime does for a process
// with a fuel limit: it derives the fuel used from what it granted and what
// is left, traps once the limit is used, and otherwise grants up to quantum
// (never past the limit).
type exactHost struct {
	quantum  int64
	limit    int64 // 0: none
	granted  int64
	trapUsed int64 // fuel used when it trapped
	yields   int
	bad      string // a protocol violation seen by yield
}

func (h *exactHost) yield(_ context.Context, m api.Module, stack []uint64) {
	h.yields++
	left := int64(m.ExportedGlobal(FuelExport).Get())
	if left > 0 && h.bad == "" {
		h.bad = fmt.Sprintf("yield called with %d fuel left", left)
	}
	used := h.granted - left
	if h.limit > 0 && used >= h.limit {
		h.trapUsed = used
		panic(errOutOfFuel)
	}
	grant := h.quantum
	if h.limit > 0 {
		grant = min(grant, h.limit-used)
	}
	h.granted = used + grant
	stack[0] = uint64(grant)
}

func (h *exactHost) used(m api.Module) int64 {
	return h.granted - int64(m.ExportedGlobal(FuelExport).Get())
}

// newExactRuntime returns a runtime with the yield import of h and the "host"
// module that exact.wat imports (double: a Go function).
func newExactRuntime(t testing.TB, h *exactHost) wazero.Runtime {
	t.Helper()
	ctx := context.Background()
	r := newCompilerRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	_, err := r.NewHostModuleBuilder(ImportModule).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(h.yield), nil, []api.ValueType{api.ValueTypeI64}).
		Export(ImportName).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.NewHostModuleBuilder("host").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(uint32(stack[0]) * 2)
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export("double").Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// exactCase is one call of an export of exact.wat.
type exactCase struct {
	export string
	arg    uint64
}

// callCase calls the export with the argument if it takes one.
func callCase(mod api.Module, c exactCase) ([]uint64, error) {
	f := mod.ExportedFunction(c.export)
	if f == nil {
		return nil, errNoExport(c.export)
	}
	if len(f.Definition().ParamTypes()) == 0 {
		return f.Call(context.Background())
	}
	return f.Call(context.Background(), c.arg)
}

func exactCases() []exactCase {
	var cs []exactCase
	add := func(export string, args ...uint64) {
		for _, a := range args {
			cs = append(cs, exactCase{export, a})
		}
	}
	add("nothing", 0)
	add("leaf", 0)
	add("early", 0, 5, 10, 11, 1000)
	add("arms", 0, 1, 2, 3, 4, 5, 6, 7, 8)
	add("brif", 0, 1, 2, 3, 9)
	add("table", 0, 1, 2, 3, 4, 5, 100)
	add("loopmid", 0, 1, 2, 17)
	add("nested", 0, 1, 2, 5, 30)
	add("loopret", 0, 1, 7, 49, 50, 80)
	add("fib", 0, 1, 2, 5, 12)
	add("calls", 0, 1, 2, 4, 11, 29)
	add("host", 1, 2, 40)
	add("dead", 0, 1)
	add("multi", 0, 5, 59, 61, 100)
	add("trap", 3)
	return cs
}

// referenceRun runs a call in the reference module (with limit, 0 for none)
// and returns its results, error and the operators executed.
func referenceRun(t *testing.T, r wazero.Runtime, cm wazero.CompiledModule, c exactCase) ([]uint64, error, int64) {
	t.Helper()
	mod, err := r.InstantiateModule(context.Background(), cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Close(context.Background())
	res, err := callCase(mod, c)
	if g := mod.ExportedGlobal(FuelExport); g != nil {
		return res, err, -int64(g.Get())
	}
	return res, err, 0
}

// exactRun runs a call in the Exact-mode module under h.
func exactRun(t *testing.T, r wazero.Runtime, cm wazero.CompiledModule, h *exactHost, c exactCase) ([]uint64, error, int64) {
	t.Helper()
	h.granted, h.trapUsed, h.yields, h.bad = 0, -1, 0, ""
	mod, err := r.InstantiateModule(context.Background(), cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Close(context.Background())
	res, err := callCase(mod, c)
	if h.bad != "" {
		t.Errorf("%s(%d): %s", c.export, c.arg, h.bad)
	}
	return res, err, h.used(mod)
}

// TestExactCount checks that Exact mode charges each call exactly the number
// of operators the reference counts, whatever the quantum (so however often
// the import is called), and that results are unchanged.
func TestExactCount(t *testing.T) {
	ctx := context.Background()
	orig := fixture(t, "exact")
	h := &exactHost{}
	r := newExactRuntime(t, h)
	refCM, err := r.CompileModule(ctx, instrumentReference(t, orig, 0))
	if err != nil {
		t.Fatal(err)
	}
	exact, err := InstrumentExact(orig)
	if err != nil {
		t.Fatal(err)
	}
	exactCM, err := r.CompileModule(ctx, exact)
	if err != nil {
		t.Fatal(err)
	}
	origCM, err := r.CompileModule(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range exactCases() {
		t.Run(fmt.Sprintf("%s(%d)", c.export, c.arg), func(t *testing.T) {
			want, wantErr, _ := referenceRun(t, r, origCM, c)
			refRes, refErr, count := referenceRun(t, r, refCM, c)
			if fmt.Sprint(refRes, refErr) != fmt.Sprint(want, wantErr) {
				t.Fatalf("reference module returned %v %v, original %v %v", refRes, refErr, want, wantErr)
			}
			for _, q := range []int64{1 << 40, 7, 1} {
				h.quantum, h.limit = q, 0
				got, err, used := exactRun(t, r, exactCM, h, c)
				if fmt.Sprint(got, err) != fmt.Sprint(want, wantErr) {
					t.Errorf("quantum %d: returned %v %v, original %v %v", q, got, err, want, wantErr)
				}
				if used != count {
					t.Errorf("quantum %d: charged %d, reference count %d", q, used, count)
				}
				if h.yields == 0 {
					t.Errorf("quantum %d: the import was never called", q)
				}
			}
		})
	}
}

// TestExactReferenceCounts pins the reference count itself on calls whose
// count is easy to work out by hand.
func TestExactReferenceCounts(t *testing.T) {
	ctx := context.Background()
	r := newExactRuntime(t, &exactHost{})
	cm, err := r.CompileModule(ctx, instrumentReference(t, fixture(t, "exact"), 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    exactCase
		want int64
	}{
		{exactCase{"nothing", 0}, 0},
		// local.get, i32.const, i32.add.
		{exactCase{"leaf", 0}, 3},
		// if condition (local.get, i32.const, i32.gt_u) + if + i32.const; return is free.
		{exactCase{"early", 11}, 5},
		// ... then four local.sets of 4, 4, 6 and 4 operators, and a local.get.
		{exactCase{"early", 10}, 4 + 4 + 4 + 6 + 4 + 1},
		// fib(0): local.get, i32.const, i32.lt_u, if, local.get.
		{exactCase{"fib", 0}, 5},
		// fib(2) = the else arm (local.get, i32.const, i32.sub, call, twice, and
		// i32.add: 9) + fib(1) + fib(0) + the 4 operators before the arm.
		{exactCase{"fib", 2}, 4 + 9 + 5 + 5},
		// dead(0): br_if's condition and br_if, br; then if's condition and if,
		// the else arm's i32.const (return is free).
		{exactCase{"dead", 0}, 2 + 1 + 2 + 1},
	} {
		if _, _, got := referenceRun(t, r, cm, tc.c); got != tc.want {
			t.Errorf("%s(%d): reference count %d, want %d", tc.c.export, tc.c.arg, got, tc.want)
		}
	}
}

// TestExactLimit checks where a process with a fuel limit traps: at the
// first function entry or loop header at which the operators executed reach
// the limit, as in wasmtime, which the reference module models with a trap
// at those points. For every limit up to past each call's count, Exact mode
// traps exactly when the reference does, having charged the same count.
func TestExactLimit(t *testing.T) {
	ctx := context.Background()
	orig := fixture(t, "exact")
	h := &exactHost{}
	r := newExactRuntime(t, h)
	exact, err := InstrumentExact(orig)
	if err != nil {
		t.Fatal(err)
	}
	exactCM, err := r.CompileModule(ctx, exact)
	if err != nil {
		t.Fatal(err)
	}
	refCM := map[int64]wazero.CompiledModule{}
	reference := func(limit int64) wazero.CompiledModule {
		if cm, ok := refCM[limit]; ok {
			return cm
		}
		cm, err := r.CompileModule(ctx, instrumentReference(t, orig, limit))
		if err != nil {
			t.Fatal(err)
		}
		refCM[limit] = cm
		return cm
	}
	traps := 0
	for _, c := range exactCases() {
		if c.export == "trap" {
			continue // traps on its own
		}
		_, _, total := referenceRun(t, r, reference(0), c)
		limits := []int64{1, 2, 3, 5, 8, 13, total - 1, total, total + 1}
		for l := int64(1); l <= total+1 && l < 40; l++ {
			limits = append(limits, l)
		}
		for _, limit := range limits {
			if limit < 1 {
				continue
			}
			_, refErr, refUsed := referenceRun(t, r, reference(limit), c)
			refTrapped := refErr != nil && strings.Contains(refErr.Error(), "unreachable")
			for _, q := range []int64{100_000, 3} {
				h.quantum, h.limit = q, limit
				_, err, used := exactRun(t, r, exactCM, h, c)
				trapped := errors.Is(err, errOutOfFuel)
				if trapped != refTrapped {
					t.Errorf("%s(%d) limit %d quantum %d: out of fuel %v (%v), reference %v (%v)", c.export, c.arg, limit, q, trapped, err, refTrapped, refErr)
					continue
				}
				if trapped {
					traps++
					used = h.trapUsed
				}
				if used != refUsed {
					t.Errorf("%s(%d) limit %d quantum %d: %d used, reference %d (trapped %v)", c.export, c.arg, limit, q, used, refUsed, trapped)
				}
			}
		}
	}
	if traps == 0 {
		t.Error("no limit was ever reached")
	}
}
