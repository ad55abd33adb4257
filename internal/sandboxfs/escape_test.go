package sandboxfs_test

import (
	"path/filepath"
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// escapes lists attempts to reach outside/ (or host /etc) and the errno each
// must fail with. Leading slashes name paths inside the root, so
// "/etc/hostname" is simply missing there.
var escapes = []struct {
	name string
	op   func(fsys sys.FS) sys.Errno
	want sys.Errno
}{
	{"dotdot", openOp("../outside/secret.txt", sys.O_RDONLY), sys.EPERM},
	{"dotdot after a dir", openOp("dir/../../outside/secret.txt", sys.O_RDONLY), sys.EPERM},
	{"dotdot after root slash", openOp("/../outside/secret.txt", sys.O_RDONLY), sys.EPERM},
	{"stat parent", statOp(".."), sys.EPERM},
	{"absolute path stays inside", openOp("/etc/hostname", sys.O_RDONLY), sys.ENOENT},
	{"link to /etc: read hostname", openOp("esc-etc/hostname", sys.O_RDONLY), sys.EPERM},
	{"link to /etc: list", openOp("esc-etc", sys.O_RDONLY|sys.O_DIRECTORY), sys.EPERM},
	{"link to /etc: stat", statOp("esc-etc/hostname"), sys.EPERM},
	{"absolute link back inside", openOp("esc-abs-in", sys.O_RDONLY), sys.EPERM},
	{"link to outside file", openOp("esc-file", sys.O_RDONLY), sys.EPERM},
	{"link to outside dir", openOp("esc-dir/secret.txt", sys.O_RDONLY), sys.EPERM},
	{"link to outside dir: list", openOp("esc-dir", sys.O_RDONLY|sys.O_DIRECTORY), sys.EPERM},
	{"link chain leading out", openOp("esc-chain", sys.O_RDONLY), sys.EPERM},
	{"stat through link chain", statOp("esc-chain"), sys.EPERM},
	{"write through dangling link", openOp("dangling-out", sys.O_WRONLY|sys.O_CREAT), sys.EPERM},
	{"truncate through dangling link", openOp("dangling-out", sys.O_RDWR|sys.O_CREAT|sys.O_TRUNC), sys.EPERM},
	{"truncate through link", openOp("esc-file", sys.O_WRONLY|sys.O_TRUNC), sys.EPERM},
	{"create in linked dir", openOp("esc-dir/new.txt", sys.O_WRONLY|sys.O_CREAT), sys.EPERM},
	{"create via dotdot", openOp("../outside/new.txt", sys.O_WRONLY|sys.O_CREAT), sys.EPERM},
	{"mkdir in linked dir", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("esc-dir/new", 0o755) }, sys.EPERM},
	{"mkdir via dotdot", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("../outside/new", 0o755) }, sys.EPERM},
	{"rename into linked dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "esc-dir/new.txt") }, sys.EPERM},
	{"rename out of linked dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("esc-dir/secret.txt", "mine.txt") }, sys.EPERM},
	{"rename via dotdot", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "../outside/new.txt") }, sys.EPERM},
	{"hard link from linked dir", func(fsys sys.FS) sys.Errno { return fsys.Link("esc-dir/secret.txt", "mine.txt") }, sys.EPERM},
	{"hard link into linked dir", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "esc-dir/new.txt") }, sys.EPERM},
	{"unlink in linked dir", func(fsys sys.FS) sys.Errno { return fsys.Unlink("esc-dir/secret.txt") }, sys.EPERM},
	{"unlink via dotdot", func(fsys sys.FS) sys.Errno { return fsys.Unlink("../outside/secret.txt") }, sys.EPERM},
	{"rmdir via dotdot", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("../outside") }, sys.EPERM},
	{"chmod through link", func(fsys sys.FS) sys.Errno { return fsys.Chmod("esc-file", 0o777) }, sys.EPERM},
	{"utimens through link", func(fsys sys.FS) sys.Errno { return fsys.Utimens("esc-file", 1, 1) }, sys.EPERM},
	{"readlink via dotdot", func(fsys sys.FS) sys.Errno { _, e := fsys.Readlink("../outside"); return e }, sys.EPERM},
	{"symlink with absolute target", func(fsys sys.FS) sys.Errno { return fsys.Symlink("/etc", "mine") }, sys.EPERM},
	{"symlink placed outside", func(fsys sys.FS) sys.Errno { return fsys.Symlink("x", "../outside/link") }, sys.EPERM},
	{"own escaping link: read", ownLinkOp("../outside", "mine/secret.txt", sys.O_RDONLY), sys.EPERM},
	{"own escaping link: create", ownLinkOp("../outside", "mine/new.txt", sys.O_WRONLY|sys.O_CREAT), sys.EPERM},
	{"own escaping link: list", ownLinkOp("../outside", "mine", sys.O_RDONLY|sys.O_DIRECTORY), sys.EPERM},
	{"own link to host root", ownLinkOp("../../../../../../../..", "mine/etc/hostname", sys.O_RDONLY), sys.EPERM},
	{"own dangling link: write", ownLinkOp("../outside/new.txt", "mine", sys.O_WRONLY|sys.O_CREAT), sys.EPERM},
	{"own link through inside dir", ownLinkOp("dir/../..", "mine/outside/secret.txt", sys.O_RDONLY), sys.EPERM},
}

func TestEscapes(t *testing.T) {
	for _, tc := range escapes {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTree(t)
			requireErrno(t, tc.want, tc.op(tr.mount(t, false)), tc.name)
			tr.requireOutsideUntouched(t)
		})
	}
}

// The read-only form confines reads the same way; writes fail earlier.
func TestEscapesReadOnly(t *testing.T) {
	for _, tc := range escapes {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTree(t)
			errno := tc.op(tr.mount(t, true))
			if errno != tc.want && errno != sys.EROFS {
				t.Fatalf("errno = %v, want %v or EROFS", errno, tc.want)
			}
			tr.requireOutsideUntouched(t)
		})
	}
}

// Links the guest creates inside the root are kept as written and work as
// long as they stay inside.
func TestOwnInsideLinks(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	requireErrno(t, 0, fsys.Symlink("../dir/nested.txt", "sub/to-nested"), "symlink")
	requireErrno(t, 0, fsys.Symlink("sub/dir", "to-sub"), "symlink dir")
	if got := readFile(t, fsys, "sub/to-nested"); got != "nested" {
		t.Fatalf("through own link: %q", got)
	}
	if got := readFile(t, fsys, "to-sub/deep.txt"); got != "deep" {
		t.Fatalf("through own dir link: %q", got)
	}
	f := open(t, fsys, "to-sub/new.txt", sys.O_WRONLY|sys.O_CREAT)
	requireErrno(t, 0, writeErrno(f.Write([]byte("new"))), "write through own dir link")
	requireHostContent(t, filepath.Join(tr.root, "sub", "dir", "new.txt"), "new")
}

func openOp(path string, flag sys.Oflag) func(sys.FS) sys.Errno {
	return func(fsys sys.FS) sys.Errno {
		f, errno := fsys.OpenFile(path, flag, 0o644)
		if errno == 0 {
			f.Close()
		}
		return errno
	}
}

func statOp(path string) func(sys.FS) sys.Errno {
	return func(fsys sys.FS) sys.Errno {
		_, errno := fsys.Stat(path)
		return errno
	}
}

// ownLinkOp has the guest create link "mine" -> target (which must succeed)
// and then open path.
func ownLinkOp(target, path string, flag sys.Oflag) func(sys.FS) sys.Errno {
	return func(fsys sys.FS) sys.Errno {
		if errno := fsys.Symlink(target, "mine"); errno != 0 {
			return errno
		}
		return openOp(path, flag)(fsys)
	}
}
