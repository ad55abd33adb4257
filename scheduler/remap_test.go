package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func i32(v int32) uint64 { return uint64(uint32(v)) }

// TestRemap runs every export of remap.wat, which reaches functions through
// each place that holds a function index, in the original and instrumented
// module; both must return the expected result.
func TestRemap(t *testing.T) {
	orig := fixture(t, "remap")
	inst := instrument(t, orig)
	tests := []struct {
		export string
		args   []uint64
		want   uint64
	}{
		{"started", nil, 1042},                     // start function
		{"direct", []uint64{5}, 12},                // call of import and of defined function
		{"indirect", []uint64{5, 0}, 10},           // elem flags 0
		{"indirect", []uint64{5, 1}, 15},           // elem flags 0
		{"indirect", []uint64{5, 4}, 4},            // elem flags 4
		{"indirect2", []uint64{5, 0}, i32(-5)},     // elem flags 2
		{"indirect2", []uint64{5, 1}, 10},          // elem flags 2
		{"indirect2", []uint64{5, 2}, 25},          // elem flags 6
		{"ref_code", []uint64{5}, 105},             // ref.func in code, elem flags 3
		{"ref_code7", []uint64{9}, 4},              // ref.func in code, elem flags 7
		{"passive", []uint64{5, 0, 0}, 25},         // elem flags 1
		{"passive", []uint64{5, 0, 1}, 6},          // elem flags 1, imported function
		{"passive", []uint64{5, 1, 0}, 12},         // elem flags 5
		{"passive", []uint64{5, 1, 1}, 15},         // elem flags 5
		{"global_ref", []uint64{5}, 15},            // ref.func in a global initialiser
		{"double", []uint64{21}, 42},               // export of a defined function
		{"add1", []uint64{1}, 2},                   // re-export of an import
		{"fac", []uint64{20}, 2432902008176640000}, // recursion
	}
	for _, variant := range []struct {
		name string
		wasm []byte
	}{{"original", orig}, {"instrumented", inst}} {
		h := &fuelHost{quantum: 1000}
		mod := instantiate(t, newRuntime(t, h), variant.wasm)
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/%s%v", variant.name, tc.export, tc.args), func(t *testing.T) {
				got, err := call(mod, tc.export, tc.args...)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0] != tc.want {
					t.Errorf("got %v, want %d", got, tc.want)
				}
			})
		}
		if variant.name == "instrumented" && h.yields.Load() == 0 {
			t.Error("instrumented module never called yield")
		}
	}
}

// TestRemapNames checks that the name section follows the functions: the
// exported and imported definitions keep their names, the injected import is
// named, and a trap's backtrace is the same as without instrumentation.
func TestRemapNames(t *testing.T) {
	orig := fixture(t, "remap")
	inst := instrument(t, orig)
	r := newRuntime(t, &fuelHost{quantum: 1000})
	ctx := context.Background()
	cm, err := r.CompileModule(ctx, inst)
	if err != nil {
		t.Fatal(err)
	}
	if got := cm.ExportedFunctions()["double"].Name(); got != "double" {
		t.Errorf("export double has name %q", got)
	}
	var imports []string
	for _, def := range cm.ImportedFunctions() {
		mod, name, _ := def.Import()
		imports = append(imports, fmt.Sprintf("%s.%s=%s", mod, name, def.Name()))
	}
	want := []string{"env.add1=add1", ImportModule + "." + ImportName + "=" + yieldFuncName}
	if !slices.Equal(imports, want) {
		t.Errorf("imports %v, want %v", imports, want)
	}

	traps := map[string]string{}
	for name, wasm := range map[string][]byte{"original": orig, "instrumented": inst} {
		_, err := call(instantiate(t, r, wasm), "trap")
		if err == nil {
			t.Fatalf("%s: trap returned no error", name)
		}
		traps[name] = err.Error()
	}
	if !strings.Contains(traps["original"], "inner_trap") {
		t.Errorf("original backtrace lacks function names: %s", traps["original"])
	}
	if traps["original"] != traps["instrumented"] {
		t.Errorf("backtraces differ:\noriginal:\n%s\ninstrumented:\n%s", traps["original"], traps["instrumented"])
	}
}
