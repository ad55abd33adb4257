package sandboxfs_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// mount is one preopen: a filesystem and its guest name.
type mount struct {
	fs    sandboxfs.FS
	guest string
}

// runGuest runs a WASI command with the given preopens and returns its
// stdout; it fails the test on a non-zero exit.
func runGuest(t *testing.T, wasm []byte, args []string, mounts ...mount) string {
	t.Helper()
	cfg := wazero.NewFSConfig()
	for _, m := range mounts {
		cfg = cfg.(sysfs.FSConfig).WithSysFSMount(m.fs, m.guest)
	}
	return runWithFS(t, wasm, args, cfg)
}

func runWithFS(t *testing.T, wasm []byte, args []string, cfg wazero.FSConfig) string {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(compileCache))
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	var stdout, stderr bytes.Buffer
	modCfg := wazero.NewModuleConfig().WithArgs(args...).WithFSConfig(cfg).
		WithStdout(&stdout).WithStderr(&stderr).WithSysWalltime().WithSysNanotime()
	mod, err := r.InstantiateWithConfig(ctx, wasm, modCfg)
	var exit *sys.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 0 {
		err = nil
	}
	if err != nil {
		t.Fatalf("guest %v failed: %v\nstdout:\n%s\nstderr:\n%s", args, err, &stdout, &stderr)
	}
	if mod != nil {
		mod.Close(ctx)
	}
	return stdout.String()
}

// compileCache lets the tests compile each guest once per test binary.
var compileCache = wazero.NewCompilationCache()

var goGuest struct {
	once sync.Once
	wasm []byte
	err  error
}

// buildGoGuest compiles testdata/goguest for wasip1 once per test binary.
func buildGoGuest(t *testing.T) []byte {
	t.Helper()
	goGuest.once.Do(func() {
		dir, err := os.MkdirTemp("", "sandboxfs-goguest")
		if err != nil {
			goGuest.err = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "goguest.wasm")
		// Reading the source makes go test's result cache depend on it;
		// the go build child process is invisible to that cache.
		if _, err := os.ReadFile(filepath.Join("testdata", "goguest", "main.go")); err != nil {
			goGuest.err = err
			return
		}
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", out, ".")
		cmd.Dir = filepath.Join("testdata", "goguest")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			goGuest.err = errors.New(string(msg) + err.Error())
			return
		}
		goGuest.wasm, goGuest.err = os.ReadFile(out)
	})
	if goGuest.err != nil {
		t.Fatalf("build testdata/goguest: %v", goGuest.err)
	}
	return goGuest.wasm
}

// goGuestWant is the transcript of testdata/goguest run with the layout of
// newTree mounted writable at /data and read-only at /ro.
const goGuestWant = `ls rw: chain1@ chain2@ dangling-out@ dir/ empty.txt esc-abs-in@ esc-chain@ esc-dir@ esc-etc@ esc-file@ file.txt link-dir@ link-file@ sub/
read file: hello world
read through inside link: nested
read through link chain: nested
write: 
append: 
read back: written by guest!
rename: 
ls dir: esc-hop@ nested.txt renamed.txt up@
mkdir: 
rmdir: 
own inside link: nested
stat: size=11 mode=-rw-------
escape: link to outside file: error Operation not permitted
escape: link to /etc: error Operation not permitted
escape: list /etc via link: error Operation not permitted
escape: link chain: error Operation not permitted
escape: write via dangling link: error Operation not permitted
escape: own link read: error Operation not permitted
escape: own link write: error Operation not permitted
escape: raw dotdot: error Operation not permitted
escape: path outside preopens: error Bad file number
ro read: hello world
ro write: error Read-only file system
ro mkdir: error Read-only file system
ro remove: error Read-only file system
`

func TestGoGuest(t *testing.T) {
	wasm := buildGoGuest(t)
	tr := newTree(t)
	rw := tr.mount(t, false)
	ro := tr.mount(t, true)
	got := runGuest(t, wasm, []string{"goguest", "/data", "/ro"}, mount{rw, "/data"}, mount{ro, "/ro"})
	if got != goGuestWant {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, goGuestWant)
	}
	tr.requireOutsideUntouched(t)
	requireHostContent(t, filepath.Join(tr.root, "dir", "renamed.txt"), "written by guest!")
	requireHostLink(t, filepath.Join(tr.root, "mine"), "../outside")
}

// TestGoGuestDirFSControl runs the same guest on wazero's own DirFS to show
// that the escape steps above do reach outside when nothing confines them:
// without it, a guest that never really tried to escape would also pass.
func TestGoGuestDirFSControl(t *testing.T) {
	wasm := buildGoGuest(t)
	tr := newTree(t)
	cfg := wazero.NewFSConfig().WithDirMount(tr.root, "/data").WithReadOnlyDirMount(tr.root, "/ro")
	got := runWithFS(t, wasm, []string{"goguest", "/data", "/ro"}, cfg)
	for _, line := range []string{
		"escape: link to outside file: top secret\n",
		"escape: own link read: top secret\n",
		"escape: write via dangling link: \n",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("DirFS transcript lacks %q:\n%s", line, got)
		}
	}
	if hostRead(t, filepath.Join(tr.outside, "new.txt")) == "" {
		t.Error("DirFS did not write outside/new.txt through the dangling link")
	}
}
