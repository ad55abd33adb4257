package testharness

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cargoRun runs the test binary at path as cargo's runner `lunatic run path args…` would
// have the harness run it: with cargo's variables in the environment.
func cargoRun(t *testing.T, manifestDir, path string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	env := []string{"CARGO=/usr/bin/cargo", "CARGO_MANIFEST_DIR=" + manifestDir, "CARGO_PKG_NAME=suite"}
	var out, errb bytes.Buffer
	handled, code := Run(context.Background(), harnessOptions(path, strings.NewReader(""), &out, &errb, args, env))
	if !handled {
		t.Fatalf("test mode did not handle %s", path)
	}
	return out.String(), errb.String(), code
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
// with CARGO_MANIFEST_DIR set. The harness gets what `lunatic run` passes it then.
func TestTestMode_cargoInvocation(t *testing.T) {
	project := t.TempDir()
	path := placeBinary(t, project, "target/wasm32-wasip1/debug/deps/suite-4f1c2a9b8e7d6c50.wasm")
	out, errb, code := cargoRun(t, project, path, "--quiet", "--skip", "prints_a_lot", "--test-threads", "1")
	want := "\nrunning 15 tests\n" +
		"exits_nonzero --- FAILED\n" +
		". 2/15\nfails --- FAILED\n" +
		"i...... 10/15\nshould_panic_no_panic --- FAILED\n" +
		"should_panic_wrong_message --- FAILED\n" +
		". 13/15\ntraps --- FAILED\n" +
		"writes_stderr --- FAILED\n" +
		block("failures", suiteSections(), []string{"exits_nonzero", "fails", "should_panic_no_panic", "should_panic_wrong_message", "traps", "writes_stderr"}) +
		summary("FAILED", 8, 6, 1, 1)
	if got := normalizeTime(out); got != want {
		t.Errorf("stdout differs:\n%s", lineDiff(got, want))
	}
	equal(t, "stderr", errb, "")
	equal(t, "exit code", code, 101)

	// Exactly what `cargo test -q` runs: the report's order is the completion order, its
	// end is fixed.
	out, errb, code = cargoRun(t, project, path, "--quiet")
	got := normalizeTime(out)
	end := "\nfailures:\n    " + strings.Join(suiteFailures, "\n    ") + "\n\n" + suiteSummary + "\n\n"
	if !strings.HasPrefix(got, suiteRunning) || !strings.HasSuffix(got, end) {
		t.Errorf("report of `lunatic run PATH --quiet` does not start with %q and end with %q:\n%s", suiteRunning, end, got)
	}
	for _, name := range suiteFailures {
		if !strings.Contains(got, "\n"+name+" --- FAILED\n") || !strings.Contains(got, "\n---- "+name+" stdout ----\n") {
			t.Errorf("no terse failure line or section for %s", name)
		}
	}
	equal(t, "stderr", errb, "")
	equal(t, "exit code", code, 101)

	// `cargo test -q passes`: cargo puts the user's arguments first.
	out, _, code = cargoRun(t, project, path, "passes", "--quiet")
	equal(t, "stdout", normalizeTime(out),
		"\nrunning 2 tests\n..\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 14 filtered out; finished in 0.00s\n\n")
	equal(t, "exit code", code, 0)
}
