package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lunaticBin is the binary under test, built once by TestMain unless LUNATIC_E2E_BIN
// names one; lunaticExec is the launcher it runs through (LUNATIC_E2E_EXEC, e.g.
// qemu-aarch64-static or wine, word-split), empty to run it directly. Together they run
// these tests against a binary cross-compiled for another platform (see `make portable`).
var (
	lunaticBin  string
	lunaticExec []string
)

// guests is the directory of the end-to-end guest modules.
const guests = "../../testdata/wasm"

func TestMain(m *testing.M) {
	lunaticExec = strings.Fields(os.Getenv("LUNATIC_E2E_EXEC"))
	if bin := os.Getenv("LUNATIC_E2E_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		lunaticBin = abs
		os.Exit(m.Run())
	}
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

// lunaticCmd is the command running the binary under test with args.
func lunaticCmd(args ...string) *exec.Cmd {
	if len(lunaticExec) == 0 {
		return exec.Command(lunaticBin, args...)
	}
	argv := append(append(append([]string{}, lunaticExec[1:]...), lunaticBin), args...)
	return exec.Command(lunaticExec[0], argv...)
}

// launcherEnv is the part of the environment the launcher needs (WINE*, QEMU_*).
func launcherEnv() []string {
	var out []string
	if len(lunaticExec) == 0 {
		return nil
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WINE") || strings.HasPrefix(kv, "QEMU_") {
			out = append(out, kv)
		}
	}
	return out
}

type result struct {
	stdout, stderr string
	code           int
}

// run executes lunatic with args in dir (the package dir when ""), with a private
// compilation cache, and a guard of two minutes.
func run(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := lunaticCmd(args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{"HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "XDG_CACHE_HOME=" + t.TempDir()}, launcherEnv()...), env...)
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

func guest(name string) string { return filepath.Join(guests, name+".wasm") }

// guestCases mirror testdata/wasm/rust/check.sh: name | guest | lunatic flags | guest
// args, run with the working directory at testdata/wasm; {scratch}, {wasm} and {fixtures}
// are substituted. Expected stdout and exit status are testdata/wasm/rust/expected/<name>.*
var guestCases = []struct {
	name, guest string
	flags, args []string
}{
	{"hello", "hello", nil, nil},
	{"args_env", "args_env", nil, []string{"GUEST_TEST_VAR", "GUEST_MISSING_VAR"}},
	{"readfile", "readfile", nil, []string{"rust/fixtures/hello.txt", "rust/fixtures"}},
	{"readfile_escape", "readfile", nil, []string{"../../../etc/passwd"}},
	{"readfile_write", "readfile", []string{"--dir", "{scratch}"}, []string{"write", "{scratch}/out.txt", "written-by-guest"}},
	{"exitcode", "exitcode", nil, []string{"7"}},
	{"exitcode0", "exitcode", nil, []string{"0"}},
	{"panic", "panic", nil, nil},
	{"oob", "oob", nil, nil},
	{"pingpong", "pingpong", nil, nil},
	{"ring", "ring", nil, nil},
	{"supervisor", "supervisor", nil, nil},
	{"request", "request", nil, nil},
	{"registry", "registry", nil, nil},
	{"timers", "timers", nil, nil},
	{"spawn_many", "spawn_many", nil, nil},
	{"catch", "catch", nil, nil},
	{"catch_exit", "catch", nil, []string{"exit"}},
	{"links", "links", nil, nil},
	{"selective", "selective", nil, nil},
	{"config", "config", nil, []string{"rust/fixtures", "config.wasm"}},
	{"config_abs", "config", []string{"--dir", "{wasm}"}, []string{"{fixtures}", "{wasm}/config.wasm"}},
	{"lunatic_all", "lunatic_all", nil, nil},
	{"fuel", "fuel", nil, nil},
	{"spin", "spin", nil, nil},
	{"memlimit", "memlimit", nil, nil},
	{"busy", "busy", nil, []string{"1"}},
}

// TestGuests runs every Rust guest through the lunatic binary and compares stdout and the
// exit status with the expected files. The guests also check their own expectations
// (a failed check panics, which changes the status).
func TestGuests(t *testing.T) {
	wasmDir, err := filepath.Abs(guests)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range guestCases {
		t.Run(tc.name, func(t *testing.T) {
			repl := strings.NewReplacer("{scratch}", t.TempDir(), "{wasm}", wasmDir, "{fixtures}", filepath.Join(wasmDir, "rust", "fixtures"))
			args := []string{"run"}
			for _, f := range tc.flags {
				args = append(args, repl.Replace(f))
			}
			args = append(args, tc.guest+".wasm")
			for _, a := range tc.args {
				args = append(args, repl.Replace(a))
			}
			r := run(t, wasmDir, []string{"GUEST_TEST_VAR=from-host"}, args...)
			want, err := os.ReadFile(filepath.Join(wasmDir, "rust", "expected", tc.name+".stdout"))
			if err != nil {
				t.Fatal(err)
			}
			status, err := os.ReadFile(filepath.Join(wasmDir, "rust", "expected", tc.name+".status"))
			if err != nil {
				t.Fatal(err)
			}
			if r.stdout != string(want) || fmt.Sprint(r.code) != strings.TrimSpace(string(status)) {
				t.Fatalf("exit %d (want %s)\n--- stdout ---\n%s--- want ---\n%s--- stderr ---\n%s", r.code, strings.TrimSpace(string(status)), r.stdout, want, r.stderr)
			}
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
	for _, line := range []string{"argv[3]=--flag", "argv[4]=-v", "env GREETING=hi there", "env EXTRA=x"} {
		if !strings.Contains(r.stdout, line+"\n") {
			t.Fatalf("missing %q in:\n%s", line, r.stdout)
		}
	}
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

// TestPreopenConfinement checks that a guest cannot reach a host path outside its preopens:
// not with "..", not with an absolute path, not through a symlink in the preopen that points
// out of it, and not by writing through a dangling link that points outside.
func TestPreopenConfinement(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("top secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("inside\n"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "out"))
	os.Symlink(secret, filepath.Join(dir, "secret-link"))
	os.Symlink(filepath.Join(outside, "new.txt"), filepath.Join(dir, "dangling"))
	wasm, err := filepath.Abs(guest("readfile"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, nil, "run", "--dir", dir+"::/data", wasm, "/data/ok.txt")
	if r.code != 0 || r.stdout != "inside\n" {
		t.Fatalf("reading inside the preopen: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
	for _, path := range []string{
		"/data/../" + filepath.Base(outside) + "/secret.txt",
		secret,
		"/data/out/secret.txt",
		"/data/secret-link",
		"out/secret.txt",
	} {
		r := run(t, dir, nil, "run", "--dir", dir+"::/data", wasm, path)
		if r.code != 1 || strings.Contains(r.stdout, "top secret") || !strings.HasPrefix(r.stdout, "error: read ") {
			t.Errorf("%s: exit %d, stdout %q: the guest must get an error", path, r.code, r.stdout)
		}
	}
	r = run(t, dir, nil, "run", "--dir", dir+"::/data", wasm, "write", "/data/dangling", "escaped")
	if r.code != 1 {
		t.Errorf("write through a dangling link: exit %d, stdout %q", r.code, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(outside, "new.txt")); err == nil {
		t.Fatal("the guest created a file outside its preopen through a dangling link")
	}
}

// TestPrometheusEndpoint runs a sleeping guest with --prometheus on a free port and scrapes
// /metrics and /processes while it runs.
func TestPrometheusEndpoint(t *testing.T) {
	cmd := lunaticCmd("run", "-v", "--prometheus-addr", "127.0.0.1:0", guest("sleep"))
	cmd.Env = append([]string{"HOME=" + os.Getenv("HOME"), "XDG_CACHE_HOME=" + t.TempDir()}, launcherEnv()...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "url="); ok {
				urls <- strings.TrimSuffix(strings.Fields(rest)[0], "/metrics")
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(time.Minute):
		t.Fatal("lunatic did not report its metrics address")
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s\n%s", path, resp.Status, b)
		}
		return string(b)
	}
	// The address is announced before the root process starts; nothing outside the
	// runtime can await that, so poll (bounded) until the process shows up asleep.
	var procs string
	for deadline := time.Now().Add(10 * time.Second); ; {
		procs = get("/processes")
		if strings.Contains(procs, `"state":"sleeping"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(procs, `"id":1`) || !strings.Contains(procs, `"entry":"_start"`) || !strings.Contains(procs, `"state":"sleeping"`) {
		t.Fatalf("/processes does not show the sleeping root process:\n%s", procs)
	}
	metrics := get("/metrics")
	for _, line := range []string{"lunatic_processes_alive 1", "lunatic_processes_spawned_total 1"} {
		if !strings.Contains(metrics, "\n"+line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

// TestTCPEcho runs the echo server of the README on a free loopback port and has two
// clients, each served by its own process, get their bytes back.
func TestTCPEcho(t *testing.T) {
	cmd := lunaticCmd("run", guest("tcp_echo"), "127.0.0.1:0")
	cmd.Env = append([]string{"HOME=" + os.Getenv("HOME"), "XDG_CACHE_HOME=" + t.TempDir()}, launcherEnv()...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	addrs := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				addrs <- a
			}
		}
		close(addrs)
	}()
	var addr string
	select {
	case a, ok := <-addrs:
		if !ok {
			t.Fatal("the server ended without reporting its address")
		}
		addr = a
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not report its address")
	}
	var conns []net.Conn
	for i := range 2 {
		c, err := net.DialTimeout("tcp", addr, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(time.Minute))
		conns = append(conns, c)
		msg := fmt.Sprintf("hello from client %d\n", i)
		if _, err := io.WriteString(c, msg); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range conns {
		want := fmt.Sprintf("hello from client %d\n", i)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(c, got); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		if string(got) != want {
			t.Errorf("client %d got %q, want %q", i, got, want)
		}
	}
}

// TestInit runs `lunatic init` in a cargo project on a machine without rustc: it creates
// .cargo/config.toml selecting wasm32-wasip1 and the lunatic runner, and a second run
// changes nothing.
func TestInit(t *testing.T) {
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "Cargo.toml"), []byte("[package]\nname = \"app\"\nversion = \"0.1.0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noRustc := []string{"PATH=" + t.TempDir()}
	r := run(t, project, noRustc, "init")
	if r.code != 0 {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	got, err := os.ReadFile(filepath.Join(project, ".cargo", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "[build]\ntarget = \"wasm32-wasip1\"\n\n[target.wasm32-wasip1]\nrunner = \"lunatic run\"\n"
	if strings.ReplaceAll(string(got), "\r\n", "\n") != want {
		t.Errorf(".cargo/config.toml:\n%s\nwant:\n%s", got, want)
	}
	r = run(t, project, noRustc, "init")
	if r.code != 0 || !strings.Contains(r.stdout, "nothing to do") {
		t.Errorf("second init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
