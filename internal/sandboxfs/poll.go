package sandboxfs

import (
	"io/fs"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// IsNonblock implements sys.PollableFile.
func (f *file) IsNonblock() bool { return f.flag&sys.O_NONBLOCK != 0 }

// SetNonblock implements sys.PollableFile. In non-blocking mode reads and
// writes go straight to the system call, so a FIFO reports EAGAIN instead of
// parking the calling goroutine.
func (f *file) SetNonblock(enable bool) sys.Errno {
	if f.closed {
		return sys.EBADF
	}
	if errno := setStatusFlag(f.f, flagNonblock, enable); errno != 0 {
		return errno
	}
	f.flag = withFlag(f.flag, sys.O_NONBLOCK, enable)
	return 0
}

// Poll implements sys.Pollable. Regular files and directories are always
// ready, as poll(2) reports them; other kinds (a FIFO in the directory) are
// polled for real.
func (f *file) Poll(flag sys.Pflag, timeoutMillis int32) (bool, sys.Errno) {
	if f.closed {
		return false, sys.EBADF
	}
	if flag == 0 || flag&^(sys.POLLIN|sys.POLLOUT) != 0 {
		return false, sys.ENOTSUP
	}
	if f.mode == 0 || f.mode == fs.ModeDir {
		return true, 0
	}
	return pollFile(f.f, flag, timeoutMillis)
}
