package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden stdout files")

// lunaticBin is the binary under test, built once by TestMain.
var lunaticBin string

// guests is the directory of the end-to-end guest modules.
const guests = "../../testdata/wasm"

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "lunatic-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lunaticBin = filepath.Join(dir, "lunatic")
	build := exec.Command("go", "build", "-o", lunaticBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build lunatic:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// run executes lunatic with args in dir (the package dir when ""), with a private
// compilation cache, and a guard of two minutes.
func run(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(lunaticBin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "XDG_CACHE_HOME=" + t.TempDir()}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("lunatic %v did not finish in 2 minutes; stdout:\n%s\nstderr:\n%s", args, out.String(), errb.String())
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// golden compares got with testdata/golden/<name>.stdout (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".stdout")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("stdout differs from %s\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func guest(name string) string { return filepath.Join(guests, name+".wasm") }

// TestActorGuests runs the Rust guests that exercise the lunatic ABI. Each checks its own
// expectations (a failed check panics, which fails the run) and prints deterministic lines.
func TestActorGuests(t *testing.T) {
	for _, name := range []string{
		"pingpong", "ring", "supervisor", "request", "registry", "timers", "catch",
		"links", "selective", "lunatic_all", "spawn_many", "spin", "fuel", "memlimit",
	} {
		t.Run(name, func(t *testing.T) {
			r := run(t, "", nil, "run", guest(name))
			if r.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			golden(t, name, r.stdout)
		})
	}
}

func TestHello(t *testing.T) {
	r := run(t, "", nil, guest("hello"))
	if r.code != 0 || r.stdout != "Hello, world!\n" || r.stderr != "" {
		t.Fatalf("got %+v", r)
	}
}

func TestArgsAndEnv(t *testing.T) {
	r := run(t, "", []string{"GREETING=hi there"}, "run", "--env", "EXTRA=x", guest("args_env"), "GREETING", "EXTRA", "--flag", "-v")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "args_env", r.stdout)
	r = run(t, "", []string{"GREETING=hi there"}, "run", "--no-inherit-env", guest("args_env"), "GREETING")
	if !strings.Contains(r.stdout, "GREETING is not set") {
		t.Fatalf("--no-inherit-env leaked GREETING:\n%s", r.stdout)
	}
}

func TestReadFileFromDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "note.txt"), []byte("from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", nil, "run", "--dir", dir+"::/data", guest("readfile"), "/data/note.txt")
	if r.code != 0 || !strings.Contains(r.stdout, "from the host") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestExitCode(t *testing.T) {
	for _, c := range []int{0, 3, 42} {
		r := run(t, "", nil, guest("exitcode"), fmt.Sprint(c))
		if r.code != c {
			t.Fatalf("exitcode %d: got %d (%s)", c, r.code, r.stderr)
		}
	}
}

func TestTraps(t *testing.T) {
	for _, tc := range []struct{ name, reason string }{
		{"panic", "unreachable"},
		{"oob", "out of bounds memory access"},
	} {
		r := run(t, "", nil, guest(tc.name))
		if r.code != 134 {
			t.Fatalf("%s: exit %d, want 134\n%s", tc.name, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "process 1 failed: "+tc.reason) || !strings.Contains(r.stderr, "wasm backtrace:") || strings.Contains(r.stderr, "goroutine ") {
			t.Fatalf("%s: stderr does not report the trap and backtrace:\n%s", tc.name, r.stderr)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	notWasm := filepath.Join(dir, "text.wasm")
	os.WriteFile(notWasm, []byte("hello, I am text"), 0o644)
	component := filepath.Join(dir, "component.wasm")
	os.WriteFile(component, []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}, 0o644)
	unknownImport := filepath.Join(dir, "import.wasm")
	// (module (import "env" "missing" (func)))
	os.WriteFile(unknownImport, []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 15, 1, 3, 'e', 'n', 'v', 7, 'm', 'i', 's', 's', 'i', 'n', 'g', 0, 0}, 0o644)
	for _, tc := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.wasm"), "cannot read"},
		{notWasm, "not a WebAssembly module"},
		{component, "WebAssembly component"},
		{unknownImport, "unknown import env::missing"},
	} {
		r := run(t, "", nil, "run", tc.path)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 1 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line containing %q", tc.path, r.code, r.stderr, tc.want)
		}
	}
}

func TestUsageError(t *testing.T) {
	r := run(t, "", nil, "run", "--no-such-flag", guest("hello"))
	if r.code != 2 {
		t.Fatalf("exit %d, want 2", r.code)
	}
}
