package sandboxfs

import (
	"io/fs"
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// OpenFile implements sys.FS. Every flag in sys.Oflag is honoured:
// O_NOFOLLOW by refusing a final symbolic link with ELOOP, O_DIRECTORY by
// the open itself and a type check, O_APPEND as a file-status flag.
func (r *rootFS) OpenFile(path string, flag sys.Oflag, perm fs.FileMode) (sys.File, sys.Errno) {
	name := rel(path)
	if flag&sys.O_DIRECTORY != 0 && accessMode(flag) != sys.O_RDONLY {
		return nil, sys.EISDIR
	}
	if flag&sys.O_NOFOLLOW != 0 {
		if errno := r.refuseFinalLink(name, flag); errno != 0 {
			return nil, errno
		}
	}
	f, err := r.root.OpenFile(name, osFlag(flag), createMode(perm, fileMode))
	if err != nil {
		return nil, pathErrno(err)
	}
	return newFile(f, flag)
}

// The modes of what a guest creates, before the umask: wazero's WASI asks for 0600 files
// and 0700 directories, but the original runtime (like most programs) creates them with
// the host's usual 0666 and 0777, so other host programs can read them.
const (
	fileMode fs.FileMode = 0o666
	dirMode  fs.FileMode = 0o777
)

// createMode is the mode passed to the host for a new file or directory: the usual mode
// when wazero asks for an owner-only one (its WASI always does), else what was asked.
func createMode(perm, usual fs.FileMode) fs.FileMode {
	perm &= fs.ModePerm
	if perm&0o077 == 0 {
		return usual
	}
	return perm
}

// refuseFinalLink fails when name itself is a symbolic link, as open(2)
// does with O_NOFOLLOW: ELOOP, or ENOTDIR with O_DIRECTORY (Linux's answer,
// which DirFS passes on). os.Root follows links that stay inside the root
// even when asked not to, so the check is done here. With O_CREAT|O_EXCL
// os.Root never follows and reports EEXIST itself.
func (r *rootFS) refuseFinalLink(name string, flag sys.Oflag) sys.Errno {
	if flag&(sys.O_CREAT|sys.O_EXCL) == sys.O_CREAT|sys.O_EXCL {
		return 0
	}
	fi, err := r.root.Lstat(name)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0 && flag&sys.O_DIRECTORY != 0:
		return sys.ENOTDIR
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		return sys.ELOOP
	case err == nil:
		return 0
	}
	if errno := pathErrno(err); errno != sys.ENOENT {
		return errno
	}
	return 0 // let the open create it or report ENOENT
}

// accessMode returns the mutually exclusive read/write part of flag.
func accessMode(flag sys.Oflag) sys.Oflag {
	return flag & (sys.O_RDONLY | sys.O_WRONLY | sys.O_RDWR)
}

// osFlag translates flag for os.Root.OpenFile. O_APPEND is left out on
// purpose: newFile sets it on the descriptor, so that Pwrite keeps working
// (os.File refuses WriteAt on files it opened with O_APPEND).
func osFlag(flag sys.Oflag) int {
	var out int
	switch accessMode(flag) {
	case sys.O_WRONLY:
		out = os.O_WRONLY
	case sys.O_RDWR:
		out = os.O_RDWR
	default:
		out = os.O_RDONLY
	}
	if flag&sys.O_CREAT != 0 {
		out |= os.O_CREATE
	}
	if flag&sys.O_EXCL != 0 {
		out |= os.O_EXCL
	}
	if flag&sys.O_TRUNC != 0 {
		out |= os.O_TRUNC
	}
	if flag&sys.O_SYNC != 0 {
		out |= os.O_SYNC
	}
	return out | platformFlag(flag)
}
