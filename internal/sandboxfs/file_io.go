package sandboxfs

import (
	"io"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// checkData returns the errno for a data operation on f: EBADF once closed,
// EISDIR on a directory, else zero.
func (f *file) checkData() sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	if f.isDir() {
		return sys.EISDIR
	}
	return 0
}

// Read implements sys.File. End of file is n == 0 with no errno.
func (f *file) Read(buf []byte) (int, sys.Errno) {
	if errno := f.checkData(); errno != 0 || len(buf) == 0 {
		return 0, errno
	}
	if f.flag&sys.O_NONBLOCK != 0 {
		return rawRead(f.f, buf)
	}
	n, err := f.f.Read(buf)
	return n, fileErrno(err)
}

// Pread implements sys.File.
func (f *file) Pread(buf []byte, off int64) (int, sys.Errno) {
	if errno := f.checkData(); errno != 0 {
		return 0, errno
	}
	if off < 0 {
		return 0, sys.EINVAL
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := f.f.ReadAt(buf, off)
	return n, fileErrno(err)
}

// seek implements sys.File Seek (see seekFunc). A directory only supports
// rewinding to offset zero, which restarts Readdir.
func (f *file) seek(offset int64, whence int) (int64, sys.Errno) {
	if f.closed {
		return 0, sys.EBADF
	}
	if whence < io.SeekStart || whence > io.SeekEnd {
		return 0, sys.EINVAL
	}
	if f.isDir() && (offset != 0 || whence != io.SeekStart) {
		return 0, sys.EISDIR
	}
	n, err := f.f.Seek(offset, whence)
	return n, fileErrno(err)
}

// Write implements sys.File.
func (f *file) Write(buf []byte) (int, sys.Errno) {
	if errno := f.checkData(); errno != 0 || len(buf) == 0 {
		return 0, errno
	}
	if f.flag&sys.O_NONBLOCK != 0 {
		return rawWrite(f.f, buf)
	}
	n, err := f.f.Write(buf)
	return n, fileErrno(err)
}

// Pwrite implements sys.File. On a file in append mode the data is
// appended, as pwrite(2) does on Linux.
func (f *file) Pwrite(buf []byte, off int64) (int, sys.Errno) {
	if errno := f.checkData(); errno != 0 {
		return 0, errno
	}
	if off < 0 {
		return 0, sys.EINVAL
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := f.f.WriteAt(buf, off)
	return n, fileErrno(err)
}

// Truncate implements sys.File.
func (f *file) Truncate(size int64) sys.Errno {
	if errno := f.checkData(); errno != 0 {
		return errno
	}
	if size < 0 {
		return sys.EINVAL
	}
	if !f.writable() {
		return sys.EBADF
	}
	return fileErrno(f.f.Truncate(size))
}

// Sync implements sys.File.
func (f *file) Sync() sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	return fileErrno(f.f.Sync())
}

// Datasync implements sys.File.
func (f *file) Datasync() sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	return datasync(f.f)
}

// Utimens implements sys.File; either time may be sys.UTIME_OMIT.
func (f *file) Utimens(atim, mtim int64) sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	if atim == sys.UTIME_OMIT && mtim == sys.UTIME_OMIT {
		return 0
	}
	return futimens(f.f, atim, mtim)
}
