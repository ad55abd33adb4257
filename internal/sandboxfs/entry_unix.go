//go:build unix

package sandboxfs

import (
	"os"
	"path"
	"strings"

	"github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// On Unix, Rename, Rmdir and Unlink resolve the parent directory through
// os.Root and then act on the last component with renameat(2) and
// unlinkat(2). Those calls never follow the last component, so they stay
// inside the parent, and they give POSIX semantics that os.Root does not
// (Root.Rename refuses to replace any directory; Root.Remove cannot tell a
// file from a directory).

// renameEntry renames from to to, both relative to the root.
func (r *rootFS) renameEntry(from, to string) sys.Errno {
	oldDir, oldBase, errno := r.openParent(from)
	if errno != 0 {
		return errno
	}
	defer oldDir.Close()
	newDir, newBase, errno := r.openParent(to)
	if errno != 0 {
		return errno
	}
	defer newDir.Close()
	return control(oldDir, func(oldFd int) error {
		return withFd(newDir, func(newFd int) error {
			return unix.Renameat(oldFd, oldBase, newFd, newBase)
		})
	})
}

// removeEntry unlinks name, which must be a directory when dir is set and
// must not be one otherwise.
func (r *rootFS) removeEntry(name string, dir bool) sys.Errno {
	parent, base, errno := r.openParent(name)
	if errno != 0 {
		return errno
	}
	defer parent.Close()
	flags := 0
	if dir {
		flags = unix.AT_REMOVEDIR
	}
	return control(parent, func(fd int) error { return unix.Unlinkat(fd, base, flags) })
}

// openParent opens the directory holding name's last component, following
// links in the parent path only while they stay in the root. The returned
// base keeps a trailing slash so the system call can apply its rules.
func (r *rootFS) openParent(name string) (*os.File, string, sys.Errno) {
	slash := strings.HasSuffix(name, "/")
	dir, base := path.Split(path.Clean(name))
	if dir == "" {
		dir = "."
	}
	if slash {
		base += "/"
	}
	f, err := r.root.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		return nil, "", pathErrno(err)
	}
	return f, base, 0
}

// withFd runs fn with f's descriptor and returns fn's error.
func withFd(f *os.File, fn func(fd int) error) error {
	if errno := control(f, fn); errno != 0 {
		return errno
	}
	return nil
}
