package hostfuncs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
)

// TestRustRecursion: recursion of the kinds real Rust programs do, in debug and release
// builds, runs under the default stack bound (vm.DefaultMaxStack) to depths beyond those
// the original runtime allowed (wasmtime's 512 KiB stack: see RATIONALE.md, "Why does a
// process get 8 MiB of wasm stack?"); a recursion far deeper traps with "stack
// overflow".
func TestRustRecursion(t *testing.T) {
	rt := hostfuncstest.New(t)
	mods := map[string]string{
		"debug":   "testdata/deeprec/deeprec_debug.wasm",
		"release": "testdata/deeprec/deeprec_release.wasm",
	}
	legal := []struct {
		build, mode string
		depth       int
	}{
		// Near the depth where the program's own 1 MiB shadow stack runs out.
		{"debug", "simple", 60_000},
		{"debug", "tree", 60_000},
		{"debug", "locals", 9_000},
		{"release", "locals", 12_000},
		// No shadow stack: only the wasm stack bounds these.
		{"debug", "list", 40_000},
		{"release", "list", 100_000},
		{"release", "tree", 100_000},
	}
	for _, c := range legal {
		t.Run(fmt.Sprintf("%s/%s/%d", c.build, c.mode, c.depth), func(t *testing.T) {
			mod := hostfuncstest.Load(t, rt, mods[c.build])
			res := hostfuncstest.Run(t, rt, mod, "_start", c.mode, fmt.Sprint(c.depth))
			if res.Death != nil || !strings.HasPrefix(res.Stdout, "ok ") {
				t.Fatalf("died %v, stdout %q, stderr %q", res.Death, res.Stdout, res.Stderr)
			}
		})
	}
	t.Run("release/list/1000000", func(t *testing.T) {
		mod := hostfuncstest.Load(t, rt, mods["release"])
		res := hostfuncstest.Run(t, rt, mod, "_start", "list", "1000000")
		if res.Death == nil || !strings.Contains(res.Death.Error(), "stack overflow") {
			t.Fatalf("died %v, want a stack overflow", res.Death)
		}
	})
}
