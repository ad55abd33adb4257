//go:build windows

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/windows"
)

// futimens sets f's times with SetFileTime; a time given as sys.UTIME_OMIT is passed
// as nil, which leaves it unchanged. Windows keeps times in 100 ns units.
func futimens(f *os.File, atim, mtim int64) sys.Errno {
	rc, err := f.SyscallConn()
	if err != nil {
		return fileErrno(err)
	}
	ft := func(nanos int64) *windows.Filetime {
		if nanos == sys.UTIME_OMIT {
			return nil
		}
		t := windows.NsecToFiletime(nanos)
		return &t
	}
	var opErr error
	if err := rc.Control(func(h uintptr) {
		opErr = windows.SetFileTime(windows.Handle(h), nil, ft(atim), ft(mtim))
	}); err != nil {
		return fileErrno(err)
	}
	return fileErrno(opErr)
}

// datasync flushes f with FlushFileBuffers (data and metadata; Windows has no data-only
// flush).
func datasync(f *os.File) sys.Errno { return fileErrno(f.Sync()) }
