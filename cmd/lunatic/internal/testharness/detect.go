package testharness

import (
	"os"
	"path/filepath"
	"strings"
)

// testBinary is a module that test mode runs: its bytes and the tests it exports.
type testBinary struct {
	wasm  []byte
	tests []testCase
}

// detectTestBinary decides whether `lunatic run` was asked to run a test binary:
//
//   - under cargo (CARGO_MANIFEST_DIR is set) the path decides: cargo puts test binaries,
//     and only them, at <target dir>/wasm32-<anything>/<profile>/deps/<name>.wasm, for
//     any target dir, wasm32 target (wasip1, wasi, unknown-unknown…) and profile;
//   - elsewhere (a test binary run by hand or by other tooling) the exports decide: a
//     module that exports a "#lunatic_test_…" function is a test binary.
//
// A run with the argument --bench is never a test run (`cargo bench` passes it). When the
// module cannot be read, test mode declines and launch reports the problem.
func detectTestBinary(opts *Options) (*testBinary, bool) {
	for _, a := range opts.Args {
		if a == "--bench" {
			return nil, false
		}
	}
	underCargo := envHas(opts.Env, "CARGO_MANIFEST_DIR")
	if underCargo && !isCargoTestPath(opts.WasmPath) {
		return nil, false
	}
	wasm, err := os.ReadFile(opts.WasmPath)
	if err != nil {
		return nil, false
	}
	exports, err := wasmFuncExports(wasm)
	if err != nil {
		return nil, false
	}
	tests := discoverTests(exports)
	if !underCargo && len(tests) == 0 {
		return nil, false
	}
	return &testBinary{wasm: wasm, tests: tests}, true
}

// isCargoTestPath reports whether path has the shape of a test binary cargo built for a
// wasm32 target: …/wasm32-*/<profile>/deps/<name>.wasm.
func isCargoTestPath(path string) bool {
	if !strings.HasSuffix(path, ".wasm") {
		return false
	}
	dir := filepath.Dir(filepath.Clean(path))
	if filepath.Base(dir) != "deps" {
		return false
	}
	profile := filepath.Dir(dir)
	triple := filepath.Base(filepath.Dir(profile))
	p := filepath.Base(profile)
	return strings.HasPrefix(triple, "wasm32-") && p != "." && p != string(filepath.Separator)
}

// envHas reports whether the "K=V" list sets key.
func envHas(env []string, key string) bool {
	_, ok := envLookup(env, key)
	return ok
}

// envLookup returns the value of key in a "K=V" list (the last one wins).
func envLookup(env []string, key string) (string, bool) {
	val, found := "", false
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val, found = v, true
		}
	}
	return val, found
}
