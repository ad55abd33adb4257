//go:build !linux

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// futimens is only implemented on Linux; use FS.Utimens by path elsewhere.
func futimens(*os.File, int64, int64) sys.Errno { return sys.ENOSYS }

// datasync falls back to a full sync.
func datasync(f *os.File) sys.Errno { return fileErrno(f.Sync()) }
