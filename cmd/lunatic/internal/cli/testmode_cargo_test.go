package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The harness itself is tested in package testharness; these tests check that `lunatic
// run`, as cargo invokes it, reaches it with the right options.

// testmodeGuest is the path of a test binary in testdata/wasm/testmode, relative to this
// package.
func testmodeGuest(name string) string {
	return filepath.Join("..", "..", "..", "..", "testdata", "wasm", "testmode", name+".wasm")
}

var finishedRe = regexp.MustCompile(`finished in \d+\.\d\ds`)

// normalizeTime replaces the run's duration with 0.00s.
func normalizeTime(s string) string {
	return finishedRe.ReplaceAllString(s, "finished in 0.00s")
}

// summary is libtest's last line, the duration normalised.
func summary(word string, passed, failed, ignored, filtered int) string {
	return fmt.Sprintf("\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out; finished in 0.00s\n\n",
		word, passed, failed, ignored, filtered)
}

// cargoFactory is the Factory of a real `lunatic` process started by cargo: the host
// environment has cargo's variables, launch and test mode are the real ones.
func cargoFactory(t *testing.T, manifestDir string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	// The default compilation cache lives under the user cache dir; keep it in the test's.
	t.Setenv("XDG_CACHE_HOME", filepath.Join(os.TempDir(), "lunatic-testmode-test-xdg"))
	host := map[string]string{"PATH": "/usr/bin", "HOME": "/nonexistent", "CARGO": "/usr/bin/cargo"}
	if manifestDir != "" {
		host["CARGO_MANIFEST_DIR"] = manifestDir
		host["CARGO_PKG_NAME"] = "suite"
	}
	var environ []string
	for k, v := range host {
		environ = append(environ, k+"="+v)
	}
	var out, errb bytes.Buffer
	return &Factory{
		In: strings.NewReader(""), Out: &out, Err: &errb,
		Environ:   func() []string { return environ },
		LookupEnv: func(k string) (string, bool) { v, ok := host[k]; return v, ok },
		Getwd:     func() (string, error) { return manifestDir, nil },
		Launch:    launch,
		TestMode:  testMode,
	}, &out, &errb
}

// placeBinary copies the suite binary to dir/rel (as cargo would have built it there)
// and returns the absolute path.
func placeBinary(t *testing.T, dir, rel string) string {
	t.Helper()
	wasm, err := os.ReadFile(testmodeGuest("suite"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Test binaries are found for every wasm32 target name, target directory and profile.
func TestTestMode_cargoLayouts(t *testing.T) {
	for _, rel := range []string{
		"target/wasm32-wasi/debug/deps/suite-0123456789abcdef.wasm",
		"target/wasm32-wasip1/release/deps/suite-0123456789abcdef.wasm",
		"build-output/wasm32-wasip1/ci-fast/deps/suite-0123456789abcdef.wasm",
		"target/wasm32-unknown-unknown/bench/deps/suite-0123456789abcdef.wasm",
	} {
		t.Run(rel, func(t *testing.T) {
			project := t.TempDir()
			path := placeBinary(t, project, rel)
			f, out, errb := cargoFactory(t, project)
			code := mainWith(context.Background(), []string{"run", path, "--exact", "passes"}, f)
			equal(t, "stdout", normalizeTime(out.String()),
				"\nrunning 1 test\ntest passes ... ok\n"+summary("ok", 1, 0, 0, 15))
			equal(t, "stderr", errb.String(), "")
			equal(t, "exit code", code, 0)
		})
	}
}

// Under cargo, a binary outside deps/ (`cargo run`, examples) is a program: its _start
// runs — here libtest's own main, which knows none of the #[lunatic::test] functions.
// The same binary run by hand (no cargo) is recognised by its exports. `cargo bench`
// (--bench) is never test mode.
func TestTestMode_notTestRuns(t *testing.T) {
	project := t.TempDir()
	ranStart := "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\n"

	t.Run("cargo run", func(t *testing.T) {
		path := placeBinary(t, project, "target/wasm32-wasip1/debug/suite.wasm")
		f, out, _ := cargoFactory(t, project)
		code := mainWith(context.Background(), []string{"run", path}, f)
		equal(t, "stdout", out.String(), ranStart)
		equal(t, "exit code", code, 0)
	})
	t.Run("cargo bench", func(t *testing.T) {
		path := placeBinary(t, project, "target/wasm32-wasip1/release/deps/suite-0123456789abcdef.wasm")
		f, out, _ := cargoFactory(t, project)
		code := mainWith(context.Background(), []string{"run", path, "--bench"}, f)
		equal(t, "stdout", out.String(), "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\n")
		equal(t, "exit code", code, 0)
	})
	t.Run("by hand, without cargo", func(t *testing.T) {
		path := placeBinary(t, project, "elsewhere/suite.wasm")
		f, out, _ := cargoFactory(t, "")
		code := mainWith(context.Background(), []string{path, "--exact", "passes"}, f)
		equal(t, "stdout", normalizeTime(out.String()), "\nrunning 1 test\ntest passes ... ok\n"+summary("ok", 1, 0, 0, 15))
		equal(t, "exit code", code, 0)
	})
}
