package testharness

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsCargoTestPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/home/u/p/target/wasm32-wasi/debug/deps/foo-0123456789abcdef.wasm":           true,
		"/home/u/p/target/wasm32-wasip1/debug/deps/foo-0123456789abcdef.wasm":         true,
		"/home/u/p/target/wasm32-wasip1/release/deps/foo-0123456789abcdef.wasm":       true,
		"/ci/cache/tgt/wasm32-wasip1/my-profile/deps/foo-0123456789abcdef.wasm":       true,
		"/p/target/wasm32-unknown-unknown/debug/deps/foo.wasm":                        true,
		"target/wasm32-wasip1/debug/deps/foo.wasm":                                    true,
		"/p/target/wasm32-wasip1/debug/deps/../deps/foo.wasm":                         true,
		"/p/target/wasm32-wasip1/debug/foo.wasm":                                      false, // cargo run
		"/p/target/wasm32-wasip1/debug/examples/foo.wasm":                             false,
		"/p/target/x86_64-unknown-linux-gnu/debug/deps/foo.wasm":                      false,
		"/p/target/debug/deps/foo.wasm":                                               false,
		"/p/target/wasm32-wasip1/debug/deps/foo.wat":                                  false,
		"/p/target/wasm32-wasip1/debug/deps/libfoo.rlib":                              false,
		"wasm32-wasip1/deps/foo.wasm":                                                 false,
		"/home/u/p/target/wasm32-wasip1/debug/deps/sub/foo-0123456789abcdef.wasm":     false,
		"/home/u/p/target/wasm32-wasip1/debug/depsx/foo-0123456789abcdef.wasm":        false,
		"/home/u/p/target/wasm32-wasip1-threads/debug/deps/foo-0123456789abcdef.wasm": true,
	} {
		equal(t, path, isCargoTestPath(path), want)
	}
}

func TestDetectTestBinary(t *testing.T) {
	dir := t.TempDir()
	suite, err := os.ReadFile(testmodeGuest("suite"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "testdata", "wasm", "hello.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	place := func(rel string, wasm []byte) string {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, wasm, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cargo := []string{"CARGO_MANIFEST_DIR=" + dir}
	cases := []struct {
		name  string
		path  string
		env   []string
		args  []string
		want  bool
		tests int
	}{
		{"cargo test", place("target/wasm32-wasip1/debug/deps/suite-1.wasm", suite), cargo, []string{"--quiet"}, true, 16},
		{"cargo test, binary without lunatic tests", place("target/wasm32-wasip1/debug/deps/hello-1.wasm", plain), cargo, nil, true, 0},
		{"cargo run of a binary with test exports", place("target/wasm32-wasip1/debug/suite.wasm", suite), cargo, nil, false, 0},
		{"cargo bench", place("target/wasm32-wasip1/release/deps/suite-2.wasm", suite), cargo, []string{"--bench"}, false, 0},
		{"by hand, test exports", place("anywhere/suite.wasm", suite), nil, nil, true, 16},
		{"by hand, no test exports", place("anywhere/hello.wasm", plain), nil, nil, false, 0},
		{"missing file", filepath.Join(dir, "target/wasm32-wasip1/debug/deps/gone.wasm"), cargo, nil, false, 0},
		{"not wasm", place("target/wasm32-wasip1/debug/deps/junk.wasm", []byte("junk")), cargo, nil, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bin, ok := detectTestBinary(&Options{WasmPath: c.path, Env: c.env, Args: c.args})
			equal(t, "detected", ok, c.want)
			if ok {
				equal(t, "tests", len(bin.tests), c.tests)
			}
		})
	}
}
