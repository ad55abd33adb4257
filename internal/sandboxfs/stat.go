package sandboxfs

import (
	"path/filepath"

	"github.com/tetratelabs/wazero/experimental/sys"
	sysapi "github.com/tetratelabs/wazero/sys"
)

// Lstat implements sys.FS; a final symbolic link is described, not followed.
func (r *rootFS) Lstat(path string) (sysapi.Stat_t, sys.Errno) {
	fi, err := r.root.Lstat(rel(path))
	if err != nil {
		return sysapi.Stat_t{}, pathErrno(err)
	}
	return sysapi.NewStat_t(fi), 0
}

// Stat implements sys.FS; symbolic links are followed while they stay inside
// the directory, and one leading outside fails with EPERM.
func (r *rootFS) Stat(path string) (sysapi.Stat_t, sys.Errno) {
	fi, err := r.root.Stat(rel(path))
	if err != nil {
		return sysapi.Stat_t{}, pathErrno(err)
	}
	return sysapi.NewStat_t(fi), 0
}

// Readlink implements sys.FS. The target is returned as stored, with "/"
// separators, whether or not it could be followed.
func (r *rootFS) Readlink(path string) (string, sys.Errno) {
	target, err := r.root.Readlink(rel(path))
	if err != nil {
		return "", pathErrno(err)
	}
	return filepath.ToSlash(target), 0
}
