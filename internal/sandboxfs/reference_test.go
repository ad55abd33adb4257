package sandboxfs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"
)

// TestWazeroTestPrograms runs the WASI programs that wazero ships in its
// module (testdata of imports/wasi_snapshot_preview1, built from Rust, C,
// Zig and TinyGo) once on wazero's DirFS and once on sandboxfs, and
// requires the same output. These programs exercise fd_readdir (with its
// "." and ".." entries, rewinding and large directories) and open flags
// the way each toolchain's libc does.
func TestWazeroTestPrograms(t *testing.T) {
	programs := wazeroTestPrograms(t)
	dir := t.TempDir()
	mustNoErr(t, os.WriteFile(filepath.Join(dir, "-"), nil, 0o644))
	mustNoErr(t, os.Mkdir(filepath.Join(dir, "a-"), 0o755))
	mustNoErr(t, os.WriteFile(filepath.Join(dir, "ab-"), nil, 0o644))
	tons := t.TempDir()
	for i := range 1500 {
		mustNoErr(t, os.WriteFile(filepath.Join(tons, strconv.Itoa(i)), nil, 0o644))
	}

	runs := []struct {
		dir      string
		readOnly bool
		args     []string
		want     string // a line the output must contain
		only     string // run only this program
		except   string // never run this program
	}{
		{dir, true, []string{"wasi", "ls", "."}, "./ab-", "", ""},
		// TinyGo rewinds a directory with fd_seek, which wazero's WASI layer
		// refuses with EISDIR whatever the filesystem (tinygo issue 3823).
		{dir, true, []string{"wasi", "ls", ".", "repeat"}, "./a-", "", "tinygo"},
		{dir, true, []string{"wasi", "ls", "./a-"}, "", "", ""},
		{dir, true, []string{"wasi", "ls", "-"}, "ENOTDIR", "", ""},
		{tons, true, []string{"wasi", "ls", "."}, "./1499", "", ""},
		{"", false, []string{"wasi", "open-rdonly"}, "OK", "zig-cc", ""},
		{"", false, []string{"wasi", "open-wronly"}, "OK", "zig-cc", ""},
	}
	for name, wasm := range programs {
		for _, run := range runs {
			if run.only != "" && run.only != name || run.except == name {
				continue
			}
			t.Run(name+" "+strings.Join(run.args[1:], " "), func(t *testing.T) {
				d := run.dir
				if d == "" {
					d = t.TempDir()
				}
				ours, err := sandboxfs.New(d, run.readOnly)
				mustNoErr(t, err)
				defer ours.Close()
				got := sortedLines(runWithFS(t, wasm, run.args,
					wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(ours, "/")))
				ref := wazero.NewFSConfig().WithDirMount(d, "/")
				if run.readOnly {
					ref = wazero.NewFSConfig().WithReadOnlyDirMount(d, "/")
				}
				want := sortedLines(runWithFS(t, wasm, run.args, ref))
				if got != want {
					t.Fatalf("sandboxfs output:\n%s\nDirFS output:\n%s", got, want)
				}
				if !strings.Contains(got, run.want) {
					t.Fatalf("output lacks %q:\n%s", run.want, got)
				}
			})
		}
	}
}

// wazeroTestPrograms reads the prebuilt WASI programs from wazero's module
// directory, which the go command has downloaded to build this package.
func wazeroTestPrograms(t *testing.T) map[string][]byte {
	t.Helper()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"),
		"list", "-m", "-f", "{{.Dir}}", "github.com/tetratelabs/wazero").Output()
	mustNoErr(t, err)
	testdata := filepath.Join(strings.TrimSpace(string(out)), "imports", "wasi_snapshot_preview1", "testdata")
	programs := map[string][]byte{}
	for _, name := range []string{"cargo-wasi", "zig-cc", "zig", "tinygo"} {
		b, err := os.ReadFile(filepath.Join(testdata, name, "wasi.wasm"))
		mustNoErr(t, err)
		programs[name] = b
	}
	return programs
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
