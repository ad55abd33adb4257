package sandboxfs

import (
	"io/fs"
	"path"
	"time"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// modeBits are the mode bits Mkdir and Chmod pass on.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// Mkdir implements sys.FS. A parent that is not a directory gives ENOENT
// rather than ENOTDIR, as DirFS answers.
func (r *rootFS) Mkdir(path string, perm fs.FileMode) sys.Errno {
	errno := pathErrno(r.root.Mkdir(rel(path), createMode(perm, dirMode)))
	if errno == sys.ENOTDIR {
		return sys.ENOENT
	}
	return errno
}

// Chmod implements sys.FS, following a final symbolic link.
func (r *rootFS) Chmod(path string, perm fs.FileMode) sys.Errno {
	return pathErrno(r.root.Chmod(rel(path), perm&modeBits))
}

// Rename implements sys.FS with rename(2) semantics: final symbolic links
// are renamed, not followed, and a directory may replace an empty one.
func (r *rootFS) Rename(from, to string) sys.Errno {
	return r.renameEntry(rel(from), rel(to))
}

// Rmdir implements sys.FS: ENOTDIR unless path is a directory (a symbolic
// link to one is not), ENOTEMPTY unless it is empty.
func (r *rootFS) Rmdir(path string) sys.Errno {
	return r.removeEntry(rel(path), true)
}

// Unlink implements sys.FS: EISDIR when path is a directory. A symbolic link
// is removed itself.
func (r *rootFS) Unlink(path string) sys.Errno {
	return r.removeEntry(rel(path), false)
}

// Link implements sys.FS. A final symbolic link in oldPath is linked itself.
func (r *rootFS) Link(oldPath, newPath string) sys.Errno {
	return pathErrno(r.root.Link(rel(oldPath), rel(newPath)))
}

// Symlink implements sys.FS. target is stored as given and only resolved
// when the link is followed; an absolute target fails with EPERM, since
// os.Root would never follow it. A relative target leading outside can be
// created but never followed.
func (r *rootFS) Symlink(target, link string) sys.Errno {
	if path.IsAbs(target) {
		return sys.EPERM
	}
	return pathErrno(r.root.Symlink(target, rel(link)))
}

// Utimens implements sys.FS, following a final symbolic link. Either time
// may be sys.UTIME_OMIT to keep it.
func (r *rootFS) Utimens(path string, atim, mtim int64) sys.Errno {
	return pathErrno(r.root.Chtimes(rel(path), toTime(atim), toTime(mtim)))
}

// toTime converts epoch nanoseconds; UTIME_OMIT becomes the zero time, which
// os.Root.Chtimes leaves unchanged.
func toTime(nanos int64) time.Time {
	if nanos == sys.UTIME_OMIT {
		return time.Time{}
	}
	return time.Unix(0, nanos)
}
