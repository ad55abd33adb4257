package sandboxfs

import (
	"io/fs"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// readOnlyFS refuses every change to the directory with EROFS. Reads go to
// the embedded rootFS unchanged, so confinement is the same.
type readOnlyFS struct {
	*rootFS
}

var _ FS = (*readOnlyFS)(nil)

// OpenFile implements sys.FS. Opening for writing, truncating or creating
// fails with EROFS (EISDIR for a directory opened for writing). O_CREAT
// without O_EXCL opens an existing file read-only, as open(2) does on a
// read-only mount; with O_EXCL an existing file gives EEXIST.
func (r *readOnlyFS) OpenFile(path string, flag sys.Oflag, perm fs.FileMode) (sys.File, sys.Errno) {
	if accessMode(flag) != sys.O_RDONLY {
		if flag&sys.O_DIRECTORY != 0 {
			return nil, sys.EISDIR
		}
		return nil, sys.EROFS
	}
	if flag&sys.O_TRUNC != 0 {
		return nil, sys.EROFS
	}
	f, errno := r.rootFS.OpenFile(path, flag&^(sys.O_CREAT|sys.O_EXCL), perm)
	switch {
	case flag&sys.O_CREAT == 0:
		return wrapReadOnly(f, errno)
	case errno == sys.ENOENT:
		return nil, sys.EROFS
	case errno == 0 && flag&sys.O_EXCL != 0:
		_ = f.Close()
		return nil, sys.EEXIST
	}
	return wrapReadOnly(f, errno)
}

func wrapReadOnly(f sys.File, errno sys.Errno) (sys.File, sys.Errno) {
	if errno != 0 {
		return nil, errno
	}
	return &readOnlyFile{f.(*file)}, 0
}

// Mkdir implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Mkdir(string, fs.FileMode) sys.Errno { return sys.EROFS }

// Chmod implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Chmod(string, fs.FileMode) sys.Errno { return sys.EROFS }

// Rename implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Rename(string, string) sys.Errno { return sys.EROFS }

// Rmdir implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Rmdir(string) sys.Errno { return sys.EROFS }

// Unlink implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Unlink(string) sys.Errno { return sys.EROFS }

// Link implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Link(string, string) sys.Errno { return sys.EROFS }

// Symlink implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Symlink(string, string) sys.Errno { return sys.EROFS }

// Utimens implements sys.FS by failing with EROFS.
func (r *readOnlyFS) Utimens(string, int64, int64) sys.Errno { return sys.EROFS }

// readOnlyFile is a file of a read-only FS. It was opened O_RDONLY, so
// writes already fail with EBADF; only the timestamps need refusing.
type readOnlyFile struct {
	*file
}

var _ sys.PollableFile = (*readOnlyFile)(nil)

// Utimens implements sys.File by failing with EROFS.
func (f *readOnlyFile) Utimens(int64, int64) sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	return sys.EROFS
}
