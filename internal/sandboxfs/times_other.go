//go:build !linux && !darwin && !freebsd && !windows

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// futimens is implemented on Linux, macOS, FreeBSD and Windows; elsewhere setting
// times through a descriptor is not supported.
func futimens(*os.File, int64, int64) sys.Errno { return sys.ENOSYS }

// datasync falls back to a full sync.
func datasync(f *os.File) sys.Errno { return fileErrno(f.Sync()) }
