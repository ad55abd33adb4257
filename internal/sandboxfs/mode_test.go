package sandboxfs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
)

// umask reads the process's umask from /proc/self/status (Linux); elsewhere the test is
// skipped rather than changing the umask of a running test binary.
func umask(t *testing.T) fs.FileMode {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("cannot read the umask here:", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			if err != nil {
				t.Fatal(err)
			}
			return fs.FileMode(m)
		}
	}
	t.Skip("no Umask line in /proc/self/status")
	return 0
}

// TestCreatedModes: files and directories a guest creates get the host's usual modes
// (0666 and 0777 less the umask), not the owner-only 0600/0700 wazero's WASI asks for;
// an explicit mode with group or other bits is kept.
func TestCreatedModes(t *testing.T) {
	mask := umask(t)
	dir := t.TempDir()
	fsys, err := sandboxfs.New(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	f, errno := fsys.OpenFile("a.txt", sys.O_WRONLY|sys.O_CREAT, 0o600)
	if errno != 0 {
		t.Fatal(errno)
	}
	_ = f.Close()
	if errno := fsys.Mkdir("d", 0o700); errno != 0 {
		t.Fatal(errno)
	}
	f, errno = fsys.OpenFile("b.txt", sys.O_WRONLY|sys.O_CREAT, 0o640)
	if errno != 0 {
		t.Fatal(errno)
	}
	_ = f.Close()
	for name, want := range map[string]fs.FileMode{"a.txt": 0o666 &^ mask, "d": 0o777 &^ mask, "b.txt": 0o640 &^ mask} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), want)
		}
	}
}
