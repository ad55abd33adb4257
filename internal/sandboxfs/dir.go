package sandboxfs

import (
	"errors"
	"io"

	"github.com/tetratelabs/wazero/experimental/sys"
	sysapi "github.com/tetratelabs/wazero/sys"
)

// Readdir implements sys.File. It returns up to n entries (all remaining
// when n <= 0) and no "." or ".." entries: wazero's fd_readdir adds those
// itself. Seek(0, io.SeekStart) starts over and sees entries added since.
func (f *file) Readdir(n int) ([]sys.Dirent, sys.Errno) {
	if f.closed || !f.isDir() {
		return nil, sys.EBADF
	}
	infos, err := f.f.Readdir(n)
	if err != nil && !errors.Is(err, io.EOF) {
		errno := fileErrno(err)
		if errno == sys.EINVAL || errno == sys.ENOTDIR {
			errno = sys.EBADF
		}
		return nil, errno
	}
	dirents := make([]sys.Dirent, 0, len(infos))
	for _, fi := range infos {
		ino := sysapi.NewStat_t(fi).Ino
		dirents = append(dirents, sys.Dirent{Name: fi.Name(), Ino: ino, Type: fi.Mode().Type()})
	}
	return dirents, 0
}
