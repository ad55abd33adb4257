//go:build !unix

package sandboxfs

import (
	"os"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// statusFlag names a descriptor status flag; there are none to change off
// Unix.
type statusFlag int

const (
	flagAppend statusFlag = iota + 1
	flagNonblock
)

// setStatusFlag only accepts clearing a flag off Unix.
func setStatusFlag(_ *os.File, _ statusFlag, on bool) sys.Errno {
	if on {
		return sys.ENOSYS
	}
	return 0
}

// rawRead is never reached off Unix (non-blocking mode cannot be set).
func rawRead(f *os.File, buf []byte) (int, sys.Errno) {
	n, err := f.Read(buf)
	return n, fileErrno(err)
}

// rawWrite is never reached off Unix (non-blocking mode cannot be set).
func rawWrite(f *os.File, buf []byte) (int, sys.Errno) {
	n, err := f.Write(buf)
	return n, fileErrno(err)
}

// pollFile reports other file kinds ready off Unix.
func pollFile(*os.File, sys.Pflag, int32) (bool, sys.Errno) { return true, 0 }
