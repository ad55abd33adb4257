package sandboxfs

import (
	"errors"
	"io"
	"io/fs"
	"syscall"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// pathErrno maps an error from an os.Root path operation to an errno. os.Root
// reports a refused escape ("path escapes from parent", an absolute link
// target) as a plain error with no errno, so anything unrecognised here is
// such a refusal and becomes EPERM rather than EIO.
func pathErrno(err error) sys.Errno {
	if errno, ok := knownErrno(err); ok {
		return errno
	}
	return sys.EPERM
}

// fileErrno maps an error from an operation on an open file to an errno;
// unrecognised errors are I/O errors.
func fileErrno(err error) sys.Errno {
	if errno, ok := knownErrno(err); ok {
		return errno
	}
	return sys.EIO
}

// knownErrno recognises system errnos and the io/fs sentinel errors.
func knownErrno(err error) (sys.Errno, bool) {
	if err == nil || err == io.EOF {
		return 0, true
	}
	var se syscall.Errno
	if errors.As(err, &se) {
		return sys.UnwrapOSError(se), true
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return sys.ENOENT, true
	case errors.Is(err, fs.ErrExist):
		return sys.EEXIST, true
	case errors.Is(err, fs.ErrPermission):
		return sys.EPERM, true
	case errors.Is(err, fs.ErrClosed):
		return sys.EBADF, true
	case errors.Is(err, fs.ErrInvalid):
		return sys.EINVAL, true
	}
	return 0, false
}
