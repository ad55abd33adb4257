//go:build unix

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// statusFlag is a file status flag changeable with fcntl(F_SETFL).
type statusFlag int

const (
	flagAppend   statusFlag = unix.O_APPEND
	flagNonblock statusFlag = unix.O_NONBLOCK
)

// setStatusFlag turns one file status flag of f's descriptor on or off.
func setStatusFlag(f *os.File, flag statusFlag, on bool) sys.Errno {
	return control(f, func(fd int) error {
		cur, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		if err != nil {
			return err
		}
		next := cur &^ int(flag)
		if on {
			next |= int(flag)
		}
		if next == cur {
			return nil
		}
		_, err = unix.FcntlInt(uintptr(fd), unix.F_SETFL, next)
		return err
	})
}

// rawRead reads with one read(2), so EAGAIN reaches the guest.
func rawRead(f *os.File, buf []byte) (n int, errno sys.Errno) {
	errno = control(f, func(fd int) (err error) {
		n, err = unix.Read(fd, buf)
		return err
	})
	return max(n, 0), errno
}

// rawWrite writes with one write(2), so EAGAIN reaches the guest.
func rawWrite(f *os.File, buf []byte) (n int, errno sys.Errno) {
	errno = control(f, func(fd int) (err error) {
		n, err = unix.Write(fd, buf)
		return err
	})
	return max(n, 0), errno
}

// pollFile waits for flag on f with poll(2). A negative timeout waits
// forever.
func pollFile(f *os.File, flag sys.Pflag, timeoutMillis int32) (ready bool, errno sys.Errno) {
	var events int16
	if flag&sys.POLLIN != 0 {
		events |= unix.POLLIN
	}
	if flag&sys.POLLOUT != 0 {
		events |= unix.POLLOUT
	}
	errno = control(f, func(fd int) error {
		fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(fds, int(timeoutMillis))
		ready = n > 0 && fds[0].Revents&events != 0
		return err
	})
	return ready, errno
}

// control runs fn with f's descriptor, which stays valid during the call.
func control(f *os.File, fn func(fd int) error) sys.Errno {
	rc, err := f.SyscallConn()
	if err != nil {
		return fileErrno(err)
	}
	var opErr error
	if err := rc.Control(func(fd uintptr) { opErr = fn(int(fd)) }); err != nil {
		return fileErrno(err)
	}
	return fileErrno(opErr)
}
