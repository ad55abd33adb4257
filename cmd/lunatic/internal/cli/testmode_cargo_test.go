package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// What cargo does for `cargo test -q` with `runner = "lunatic run"` and the wasm32-wasip1
// target: `lunatic run /abs/target/wasm32-wasip1/debug/deps/<name>-<hash>.wasm --quiet`
// with CARGO_MANIFEST_DIR set. The whole command line goes through Main's path.
func TestTestMode_cargoInvocation(t *testing.T) {
	project := t.TempDir()
	path := placeBinary(t, project, "target/wasm32-wasip1/debug/deps/suite-4f1c2a9b8e7d6c50.wasm")
	f, out, errb := cargoFactory(t, project)
	code := mainWith(context.Background(), []string{"run", path, "--quiet", "--skip", "prints_a_lot", "--test-threads", "1"}, f)
	want := "\nrunning 15 tests\n" +
		"exits_nonzero --- FAILED\n" +
		". 2/15\nfails --- FAILED\n" +
		"i...... 10/15\nshould_panic_no_panic --- FAILED\n" +
		"should_panic_wrong_message --- FAILED\n" +
		". 13/15\ntraps --- FAILED\n" +
		"writes_stderr --- FAILED\n" +
		block("failures", suiteSections(), []string{"exits_nonzero", "fails", "should_panic_no_panic", "should_panic_wrong_message", "traps", "writes_stderr"}) +
		summary("FAILED", 8, 6, 1, 1)
	if got := normalizeTime(out.String()); got != want {
		t.Errorf("stdout differs:\n%s", lineDiff(got, want))
	}
	equal(t, "stderr", errb.String(), "")
	equal(t, "exit code", code, 101)

	// Exactly what `cargo test -q` runs: the report's order is the completion order, its
	// end is fixed.
	f, out, errb = cargoFactory(t, project)
	code = mainWith(context.Background(), []string{"run", path, "--quiet"}, f)
	got := normalizeTime(out.String())
	end := "\nfailures:\n    " + strings.Join(suiteFailures, "\n    ") + "\n\n" + suiteSummary + "\n\n"
	if !strings.HasPrefix(got, suiteRunning) || !strings.HasSuffix(got, end) {
		t.Errorf("report of `lunatic run PATH --quiet` does not start with %q and end with %q:\n%s", suiteRunning, end, got)
	}
	for _, name := range suiteFailures {
		if !strings.Contains(got, "\n"+name+" --- FAILED\n") || !strings.Contains(got, "\n---- "+name+" stdout ----\n") {
			t.Errorf("no terse failure line or section for %s", name)
		}
	}
	equal(t, "stderr", errb.String(), "")
	equal(t, "exit code", code, 101)

	// `cargo test -q passes`: cargo puts the user's arguments first.
	f, out, _ = cargoFactory(t, project)
	code = mainWith(context.Background(), []string{"run", path, "passes", "--quiet"}, f)
	equal(t, "stdout", normalizeTime(out.String()),
		"\nrunning 2 tests\n..\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 14 filtered out; finished in 0.00s\n\n")
	equal(t, "exit code", code, 0)
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
