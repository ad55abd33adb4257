//go:build !unix

package sandboxfs

import (
	"github.com/tetratelabs/wazero/experimental/sys"
)

// renameEntry uses os.Root.Rename, which refuses to replace a directory.
func (r *rootFS) renameEntry(from, to string) sys.Errno {
	return pathErrno(r.root.Rename(from, to))
}

// removeEntry checks the kind with Lstat, then removes. The two steps are
// not atomic, but both stay inside the root.
func (r *rootFS) removeEntry(name string, dir bool) sys.Errno {
	fi, err := r.root.Lstat(name)
	if err != nil {
		return pathErrno(err)
	}
	switch {
	case dir && !fi.IsDir():
		return sys.ENOTDIR
	case !dir && fi.IsDir():
		return sys.EISDIR
	}
	return pathErrno(r.root.Remove(name))
}
