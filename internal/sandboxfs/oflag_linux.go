//go:build linux

package sandboxfs

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// platformFlag translates the flags os has no portable name for.
func platformFlag(flag sys.Oflag) int {
	var out int
	if flag&sys.O_DIRECTORY != 0 {
		out |= syscall.O_DIRECTORY
	}
	if flag&sys.O_DSYNC != 0 {
		out |= syscall.O_DSYNC
	}
	if flag&sys.O_RSYNC != 0 {
		out |= syscall.O_RSYNC
	}
	if flag&sys.O_NONBLOCK != 0 {
		out |= syscall.O_NONBLOCK
	}
	return out
}
