package scheduler

import (
	"bytes"
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
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
			if _, err := wazero.NewRuntime(context.Background()).CompileModule(context.Background(), out); err != nil {
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
