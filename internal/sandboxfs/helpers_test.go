package sandboxfs_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
	"github.com/tetratelabs/wazero/experimental/sys"
)

// tree is the test layout: root/ is mounted, outside/ sits next to it.
type tree struct {
	base    string // holds root/ and outside/
	root    string // the mounted directory
	outside string // must stay untouched
}

// newTree writes the layout used by most tests:
//
//	outside/secret.txt          "top secret"
//	root/file.txt               "hello world"
//	root/empty.txt
//	root/dir/nested.txt         "nested"
//	root/sub/dir/deep.txt       "deep"
//	root/link-file -> file.txt
//	root/link-dir  -> dir
//	root/dir/up    -> ../file.txt       (stays inside)
//	root/chain1 -> chain2 -> dir/nested.txt
//	root/esc-etc   -> /etc              (absolute)
//	root/esc-abs-in -> <root>/file.txt  (absolute, pointing inside)
//	root/esc-dir   -> ../outside
//	root/esc-file  -> ../outside/secret.txt
//	root/esc-chain -> dir/esc-hop, dir/esc-hop -> ../../outside/secret.txt
//	root/dangling-out -> ../outside/new.txt
func newTree(t testing.TB) tree {
	t.Helper()
	base := t.TempDir()
	tr := tree{base: base, root: filepath.Join(base, "root"), outside: filepath.Join(base, "outside")}
	files := map[string]string{
		"outside/secret.txt":    "top secret",
		"root/file.txt":         "hello world",
		"root/empty.txt":        "",
		"root/dir/nested.txt":   "nested",
		"root/sub/dir/deep.txt": "deep",
	}
	for name, content := range files {
		p := filepath.Join(base, name)
		mustNoErr(t, os.MkdirAll(filepath.Dir(p), 0o755))
		mustNoErr(t, os.WriteFile(p, []byte(content), 0o644))
	}
	links := [][2]string{
		{"file.txt", "link-file"},
		{"dir", "link-dir"},
		{"../file.txt", "dir/up"},
		{"chain2", "chain1"},
		{"dir/nested.txt", "chain2"},
		{"/etc", "esc-etc"},
		{filepath.Join(tr.root, "file.txt"), "esc-abs-in"},
		{"../outside", "esc-dir"},
		{"../outside/secret.txt", "esc-file"},
		{"dir/esc-hop", "esc-chain"},
		{"../../outside/secret.txt", "dir/esc-hop"},
		{"../outside/new.txt", "dangling-out"},
	}
	for _, l := range links {
		mustNoErr(t, os.Symlink(l[0], filepath.Join(tr.root, l[1])))
	}
	return tr
}

// mount opens tr.root with sandboxfs and closes it at the end of the test.
func (tr tree) mount(t testing.TB, readOnly bool) sandboxfs.FS {
	t.Helper()
	fsys, err := sandboxfs.New(tr.root, readOnly)
	mustNoErr(t, err)
	t.Cleanup(func() { mustNoErr(t, fsys.Close()) })
	return fsys
}

// requireOutsideUntouched fails if anything was added to or changed in
// outside/.
func (tr tree) requireOutsideUntouched(t *testing.T) {
	t.Helper()
	entries, err := os.ReadDir(tr.outside)
	mustNoErr(t, err)
	if len(entries) != 1 || entries[0].Name() != "secret.txt" {
		t.Fatalf("outside/ changed: %v", entries)
	}
	b, err := os.ReadFile(filepath.Join(tr.outside, "secret.txt"))
	mustNoErr(t, err)
	if string(b) != "top secret" {
		t.Fatalf("outside/secret.txt changed: %q", b)
	}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func requireErrno(t *testing.T, want, got sys.Errno, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: errno = %v (%d), want %v (%d)", what, got, got, want, want)
	}
}

// open opens path or fails the test.
func open(t *testing.T, fsys sys.FS, path string, flag sys.Oflag) sys.File {
	t.Helper()
	f, errno := fsys.OpenFile(path, flag, 0o644)
	requireErrno(t, 0, errno, "open "+path)
	t.Cleanup(func() { f.Close() })
	return f
}

// readAll reads f to its end through Read.
func readAll(t *testing.T, f sys.File) string {
	t.Helper()
	var out []byte
	buf := make([]byte, 4)
	for {
		n, errno := f.Read(buf)
		requireErrno(t, 0, errno, "read")
		if n == 0 {
			return string(out)
		}
		out = append(out, buf[:n]...)
	}
}

// readFile reads a whole file through the FS.
func readFile(t *testing.T, fsys sys.FS, path string) string {
	t.Helper()
	f := open(t, fsys, path, sys.O_RDONLY)
	defer f.Close()
	return readAll(t, f)
}

// hostRead reads a host file, "" if absent.
func hostRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	mustNoErr(t, err)
	return string(b)
}

var _ io.Closer = sandboxfs.FS(nil)

func sandboxfsNew(dir string) (sandboxfs.FS, error) { return sandboxfs.New(dir, false) }
