package sandboxfs

import (
	"os"
	"syscall"
	"unsafe"

	"github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// futimens sets f's times at nanosecond precision with utimensat(fd, NULL),
// keeping a time given as sys.UTIME_OMIT.
func futimens(f *os.File, atim, mtim int64) sys.Errno {
	ts := [2]unix.Timespec{toTimespec(atim), toTimespec(mtim)}
	return control(f, func(fd int) error {
		_, _, e := syscall.Syscall6(syscall.SYS_UTIMENSAT, uintptr(fd), 0,
			uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0)
		if e != 0 {
			return e
		}
		return nil
	})
}

func toTimespec(nanos int64) unix.Timespec {
	if nanos == sys.UTIME_OMIT {
		return unix.Timespec{Nsec: unix.UTIME_OMIT}
	}
	return unix.NsecToTimespec(nanos)
}

// datasync flushes f's data with fdatasync(2).
func datasync(f *os.File) sys.Errno {
	return control(f, func(fd int) error { return unix.Fdatasync(fd) })
}
