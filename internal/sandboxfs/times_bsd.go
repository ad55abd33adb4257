//go:build darwin || freebsd

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// futimens sets f's times with futimes(2), keeping a time given as sys.UTIME_OMIT (read
// back with fstat first). futimes takes microseconds, so the nanoseconds below a
// microsecond are dropped.
func futimens(f *os.File, atim, mtim int64) sys.Errno {
	return control(f, func(fd int) error {
		if atim == sys.UTIME_OMIT || mtim == sys.UTIME_OMIT {
			var st unix.Stat_t
			if err := unix.Fstat(fd, &st); err != nil {
				return err
			}
			if atim == sys.UTIME_OMIT {
				atim = st.Atim.Nano()
			}
			if mtim == sys.UTIME_OMIT {
				mtim = st.Mtim.Nano()
			}
		}
		return unix.Futimes(fd, []unix.Timeval{unix.NsecToTimeval(atim), unix.NsecToTimeval(mtim)})
	})
}

// datasync falls back to a full sync (fsync).
func datasync(f *os.File) sys.Errno { return fileErrno(f.Sync()) }
