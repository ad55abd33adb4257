package scheduler

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
)

// TestUnrollPollsEveryOtherIteration runs EpochLoops output in wazero's interpreter,
// where the poll is a real call of the host's import: a small loop polls on every other
// back edge (it is unrolled once), a loop with a call on every one.
func TestUnrollPollsEveryOtherIteration(t *testing.T) {
	loops, err := InstrumentEpochLoops(fixture(t, "loop"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		export     string
		arg        uint64
		want       uint64
		wantPolls  int64
		unrolledBy string
	}{
		// 1,000 iterations, 999 back edges: those of the even iterations poll.
		{"spin", 1000, 499_500, 499, "unrolled"},
		{"spin", 1001, 500_500, 500, "unrolled"},
		// A call in the body: not unrolled, every back edge polls.
		{"calls", 1000, 1000, 999, "not unrolled (a call)"},
	} {
		h := &fuelHost{}
		r := setUpRuntime(t, h, wazero.NewRuntimeWithConfig(context.Background(), wazero.NewRuntimeConfigInterpreter()))
		mod := instantiate(t, r, loops)
		got, err := call(mod, c.export, c.arg)
		if err != nil || got[0] != c.want {
			t.Fatalf("%s(%d) = %v, %v; want %d", c.export, c.arg, got, err, c.want)
		}
		if polls := h.yields.Load(); polls != c.wantPolls {
			t.Errorf("%s(%d) polled %d times, want %d (%s)", c.export, c.arg, polls, c.wantPolls, c.unrolledBy)
		}
	}
}

// TestUnrollLimits checks which loops are unrolled: the body appears twice in the output
// only for a small innermost loop without a call or parameters.
func TestUnrollLimits(t *testing.T) {
	const opI32Add = 0x6a
	small := []byte{opLocalGet, 0, opI32Const, 1, opI32Add, opLocalSet, 0, opLocalGet, 0, opBrIf, 0}
	big := append(append(append([]byte{}, small[:7]...), bytes.Repeat([]byte{opNop}, maxUnrollBody)...), opLocalGet, 0, opBrIf, 0)
	withCall := append(append([]byte{}, small[:7]...), opCall, 0, opDrop, opLocalGet, 0, opBrIf, 0)
	nested := append(append([]byte{opLoop, blockTypeEmpty}, small...), opEnd, opLocalGet, 0, opBrIf, 0)
	for _, c := range []struct {
		name   string
		body   []byte
		copies int // of the body's first instructions in the output
	}{
		{"small", small, 2},
		{"big", big, 1},
		{"call", withCall, 1},
		{"outer of a nested loop", nested, 2}, // the inner loop is unrolled, not the outer
		// Operators the scan decodes itself: the second copy must be whole too.
		{"nop", append([]byte{opNop}, small...), 2},
		{"if/else", append([]byte{opLocalGet, 0, opIf, blockTypeEmpty, opNop, opElse, opNop, opEnd}, small...), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			code := append(append([]byte{opLoop, blockTypeEmpty}, c.body...), opEnd, opEnd)
			out, err := InstrumentEpochLoops(oneFuncModule(code))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(out, small[:7]); n != c.copies {
				t.Errorf("the loop body appears %d times in the output, want %d", n, c.copies)
			}
			ctx := context.Background()
			r := wazero.NewRuntime(ctx)
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, out); err != nil {
				t.Fatalf("output does not compile: %v", err)
			}
		})
	}
}

// oneFuncModule returns a module of one function (i32) -> () whose code (after its
// locals) is code, and an import of a () -> i32 function for calls to call.
func oneFuncModule(code []byte) []byte {
	body := append([]byte{0}, code...) // no local declarations
	m := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	m = append(m, 1, 9, 2, 0x60, 1, valI32, 0, 0x60, 0, 1, valI32) // types: (i32)->(), ()->i32
	m = append(m, 2, 7, 1, 1, 'm', 1, 'f', 0, 1)                   // import m.f: type 1
	m = append(m, 3, 2, 1, 0)                                      // function: type 0
	code10 := appendU32(appendU32(nil, 1), uint32(len(body)))
	code10 = append(code10, body...)
	m = append(m, 10)
	m = appendU32(m, uint32(len(code10)))
	return append(m, code10...)
}

// stingyLimiter refuses every stack growth and, at each preemption, asks for the next
// one through the call's cell, rearms times over.
type stingyLimiter struct {
	cell     *unsafe.Pointer
	preempts int
	rearms   int
}

func (*stingyLimiter) GrowStack(_, _ uint64) uint64 { return 0 }
func (*stingyLimiter) ReleaseStack(uint64)          {}
func (l *stingyLimiter) Preempt(context.Context) {
	l.preempts++
	if l.preempts <= l.rearms {
		l.arm()
	}
}

// arm stores PreemptBound in the bound word of the call published in the cell, as the
// clock's thread does at a tick.
func (l *stingyLimiter) arm() {
	if w := atomic.LoadPointer(l.cell); w != nil {
		atomic.StoreUintptr((*uintptr)(w), experimental.PreemptBound)
	}
}

// TestPollPreemptedNearStackBottom preempts a loop's poll (EpochLoops, compiled) at
// every recursion depth whose call fits the initial native stack, with a stack limiter
// that refuses to grow it: the poll's exit must not ask for room (its function's entry
// made it), or the deepest calls trap with a stack overflow that only preemption caused.
func TestPollPreemptedNearStackBottom(t *testing.T) {
	if !compilerSupported() {
		t.Skip("the poll is compiled only by wazero's optimizing compiler")
	}
	deep, err := InstrumentEpochLoops(fixture(t, "deep"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := setUpRuntime(t, &fuelHost{}, newCompilerRuntime(ctx))
	var lim *stingyLimiter
	if _, err := r.NewHostModuleBuilder("t").NewFunctionBuilder().
		WithFunc(func() {
			if lim != nil {
				lim.arm()
			}
		}).Export("arm").Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	mod := instantiate(t, r, deep)
	rec := mod.ExportedFunction("rec")
	const n = 1000
	deepest := -1
	for d := uint64(0); d < 10_000; d++ {
		cell := new([2]unsafe.Pointer)
		plain := &stingyLimiter{cell: &cell[0]}
		callCtx := experimental.WithStackLimiter(experimental.WithSuspender(ctx, &experimental.Suspender{Cell: &cell[0]}), plain)
		lim = nil
		if _, err := rec.Call(callCtx, d, n); err != nil {
			break // the initial stack is full at this depth
		}
		lim = &stingyLimiter{cell: &cell[0], rearms: 100}
		callCtx = experimental.WithStackLimiter(experimental.WithSuspender(ctx, &experimental.Suspender{Cell: &cell[0]}), lim)
		got, err := rec.Call(callCtx, d, n)
		if err != nil {
			t.Fatalf("depth %d: preempted at its polls, the call failed: %v", d, err)
		}
		if want := d + n*(n+1)/2; got[0] != want {
			t.Fatalf("depth %d: rec = %d, want %d", d, got[0], want)
		}
		if lim.preempts != 101 {
			t.Fatalf("depth %d: %d preemptions, want 101 (armed once, then at each of 100)", d, lim.preempts)
		}
		deepest = int(d)
	}
	if deepest < 3 {
		t.Fatalf("only depths up to %d fit the initial stack", deepest)
	}
}
