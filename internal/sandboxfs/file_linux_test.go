package sandboxfs_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// A FIFO inside the directory is polled for real, and in non-blocking mode
// an empty one reports EAGAIN instead of parking the goroutine.
func TestFIFONonblockAndPoll(t *testing.T) {
	tr := newTree(t)
	mustNoErr(t, syscall.Mkfifo(filepath.Join(tr.root, "fifo"), 0o600))
	fsys := tr.mount(t, false)
	f := open(t, fsys, "fifo", sys.O_RDWR|sys.O_NONBLOCK).(sys.PollableFile)
	if !f.IsNonblock() {
		t.Fatal("IsNonblock = false after O_NONBLOCK")
	}
	buf := make([]byte, 8)
	_, errno := f.Read(buf)
	requireErrno(t, sys.EAGAIN, errno, "read empty fifo")
	ready, errno := f.Poll(sys.POLLIN, 0)
	requireErrno(t, 0, errno, "poll empty fifo")
	if ready {
		t.Fatal("empty fifo polled ready")
	}
	requireErrno(t, 0, writeErrno(f.Write([]byte("ping"))), "write fifo")
	ready, errno = f.Poll(sys.POLLIN, -1)
	requireErrno(t, 0, errno, "poll fifo with data")
	if !ready {
		t.Fatal("fifo with data not ready")
	}
	n, errno := f.Read(buf)
	requireErrno(t, 0, errno, "read fifo")
	requireBytes(t, "ping", buf[:n])
}
