package sandboxfs_test

import (
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
)

func TestFileReadSeekPread(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	f := open(t, fsys, "file.txt", sys.O_RDONLY)
	buf := make([]byte, 5)
	n, errno := f.Read(buf)
	requireErrno(t, 0, errno, "read")
	requireBytes(t, "hello", buf[:n])

	seeks := []struct {
		off    int64
		whence int
		want   int64
		errno  sys.Errno
	}{
		{0, io.SeekCurrent, 5, 0},
		{-5, io.SeekEnd, 6, 0},
		{2, io.SeekStart, 2, 0},
		{3, io.SeekCurrent, 5, 0},
		{100, io.SeekStart, 100, 0},
		{-1, io.SeekStart, 0, sys.EINVAL},
		{0, 3, 0, sys.EINVAL},
		{0, -1, 0, sys.EINVAL},
	}
	for _, s := range seeks {
		got, errno := f.Seek(s.off, s.whence)
		requireErrno(t, s.errno, errno, "seek")
		if errno == 0 && got != s.want {
			t.Fatalf("Seek(%d, %d) = %d, want %d", s.off, s.whence, got, s.want)
		}
	}
	n, errno = f.Read(buf)
	requireErrno(t, 0, errno, "read past end")
	if n != 0 {
		t.Fatalf("read past end = %d bytes", n)
	}

	n, errno = f.Pread(buf, 6)
	requireErrno(t, 0, errno, "pread")
	requireBytes(t, "world", buf[:n])
	n, errno = f.Pread(buf, 9)
	requireErrno(t, 0, errno, "pread at end")
	requireBytes(t, "ld", buf[:n])
	_, errno = f.Pread(buf, -1)
	requireErrno(t, sys.EINVAL, errno, "pread negative")
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 100 {
		t.Fatalf("pread moved the offset to %d", pos)
	}
	_, errno = f.Write([]byte("x"))
	requireErrno(t, sys.EBADF, errno, "write on read-only descriptor")
	_, errno = f.Pwrite([]byte("x"), 0)
	requireErrno(t, sys.EBADF, errno, "pwrite on read-only descriptor")
	requireErrno(t, sys.EBADF, f.Truncate(0), "truncate on read-only descriptor")
}

func TestFileWritePwriteTruncate(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	host := filepath.Join(tr.root, "file.txt")
	f := open(t, fsys, "file.txt", sys.O_RDWR)
	steps := []struct {
		name string
		do   func() sys.Errno
		want string
	}{
		{"write at start", func() sys.Errno { return writeErrno(f.Write([]byte("HELLO"))) }, "HELLO world"},
		{"pwrite inside", func() sys.Errno { return writeErrno(f.Pwrite([]byte("W"), 6)) }, "HELLO World"},
		{"pwrite past end", func() sys.Errno { return writeErrno(f.Pwrite([]byte("!"), 12)) }, "HELLO World\x00!"},
		{"write continues after first write", func() sys.Errno { return writeErrno(f.Write([]byte("_"))) }, "HELLO_World\x00!"},
		{"truncate shorter", func() sys.Errno { return f.Truncate(5) }, "HELLO"},
		{"truncate longer", func() sys.Errno { return f.Truncate(7) }, "HELLO\x00\x00"},
		{"empty write", func() sys.Errno { return writeErrno(f.Write(nil)) }, "HELLO\x00\x00"},
	}
	for _, s := range steps {
		requireErrno(t, 0, s.do(), s.name)
		if got := hostRead(t, host); got != s.want {
			t.Fatalf("%s: host sees %q, want %q", s.name, got, s.want)
		}
	}
	requireErrno(t, sys.EINVAL, f.Truncate(-1), "truncate negative")
	_, errno := f.Pwrite([]byte("x"), -1)
	requireErrno(t, sys.EINVAL, errno, "pwrite negative")
	requireErrno(t, 0, f.Sync(), "sync")
	requireErrno(t, 0, f.Datasync(), "datasync")
	st, errno := f.Stat()
	requireErrno(t, 0, errno, "stat")
	if st.Size != 7 {
		t.Fatalf("size = %d, want 7", st.Size)
	}
	ino, _ := f.Ino()
	dev, _ := f.Dev()
	if st.Ino != ino || st.Dev != dev || ino == 0 {
		t.Fatalf("Ino/Dev = %d/%d, Stat says %d/%d", ino, dev, st.Ino, st.Dev)
	}
}

func TestFileWriteOnly(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	f := open(t, fsys, "file.txt", sys.O_WRONLY)
	_, errno := f.Read(make([]byte, 4))
	requireErrno(t, sys.EBADF, errno, "read on write-only descriptor")
}

func TestFileAppend(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	host := filepath.Join(tr.root, "file.txt")
	f := open(t, fsys, "file.txt", sys.O_WRONLY|sys.O_APPEND)
	if !f.IsAppend() {
		t.Fatal("IsAppend = false after O_APPEND")
	}
	_, _ = f.Seek(0, io.SeekStart)
	requireErrno(t, 0, writeErrno(f.Write([]byte("!"))), "append write")
	requireErrno(t, 0, writeErrno(f.Pwrite([]byte("?"), 0)), "append pwrite")
	if got := hostRead(t, host); got != "hello world!?" {
		t.Fatalf("after appends host sees %q", got)
	}

	requireErrno(t, 0, f.SetAppend(false), "clear append")
	if f.IsAppend() {
		t.Fatal("IsAppend = true after SetAppend(false)")
	}
	_, _ = f.Seek(0, io.SeekStart)
	requireErrno(t, 0, writeErrno(f.Write([]byte("H"))), "positioned write")
	if got := hostRead(t, host); got != "Hello world!?" {
		t.Fatalf("after positioned write host sees %q", got)
	}

	requireErrno(t, 0, f.SetAppend(true), "set append")
	requireErrno(t, 0, writeErrno(f.Write([]byte("."))), "append again")
	if got := hostRead(t, host); got != "Hello world!?." {
		t.Fatalf("after SetAppend(true) host sees %q", got)
	}
}

func TestFileUtimens(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	f := open(t, fsys, "file.txt", sys.O_RDWR)
	requireErrno(t, 0, f.Utimens(5e9, 6e9+7), "utimens")
	requireErrno(t, 0, f.Utimens(sys.UTIME_OMIT, 8e9), "utimens mtim only")
	requireErrno(t, 0, f.Utimens(sys.UTIME_OMIT, sys.UTIME_OMIT), "utimens nothing")
	st, errno := f.Stat()
	requireErrno(t, 0, errno, "stat")
	if st.Atim != 5e9 || st.Mtim != 8e9 {
		t.Fatalf("atim, mtim = %d, %d; want 5e9, 8e9", st.Atim, st.Mtim)
	}
}

func TestFileClosed(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	f, errno := fsys.OpenFile("file.txt", sys.O_RDWR, 0)
	requireErrno(t, 0, errno, "open")
	requireErrno(t, 0, f.Close(), "close")
	requireErrno(t, 0, f.Close(), "second close")
	buf := make([]byte, 1)
	ops := map[string]func() sys.Errno{
		"read":      func() sys.Errno { return writeErrno(f.Read(buf)) },
		"pread":     func() sys.Errno { return writeErrno(f.Pread(buf, 0)) },
		"write":     func() sys.Errno { return writeErrno(f.Write(buf)) },
		"pwrite":    func() sys.Errno { return writeErrno(f.Pwrite(buf, 0)) },
		"seek":      func() sys.Errno { _, e := f.Seek(0, io.SeekStart); return e },
		"stat":      func() sys.Errno { _, e := f.Stat(); return e },
		"truncate":  func() sys.Errno { return f.Truncate(0) },
		"sync":      func() sys.Errno { return f.Sync() },
		"datasync":  func() sys.Errno { return f.Datasync() },
		"utimens":   func() sys.Errno { return f.Utimens(1, 1) },
		"setappend": func() sys.Errno { return f.SetAppend(true) },
		"readdir":   func() sys.Errno { _, e := f.Readdir(1); return e },
		"nonblock":  func() sys.Errno { return f.(sys.PollableFile).SetNonblock(true) },
		"poll":      func() sys.Errno { _, e := f.(sys.PollableFile).Poll(sys.POLLIN, 0); return e },
	}
	for name, op := range ops {
		requireErrno(t, sys.EBADF, op(), name+" after close")
	}
}

func TestDirFile(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	d := open(t, fsys, "dir", sys.O_RDONLY)
	requireIsDir(t, d, true)
	buf := make([]byte, 1)
	requireErrno(t, sys.EISDIR, writeErrno(d.Read(buf)), "read dir")
	requireErrno(t, sys.EISDIR, writeErrno(d.Pread(buf, 0)), "pread dir")
	requireErrno(t, sys.EISDIR, writeErrno(d.Write(buf)), "write dir")
	requireErrno(t, sys.EISDIR, writeErrno(d.Pwrite(buf, 0)), "pwrite dir")
	requireErrno(t, sys.EISDIR, d.Truncate(0), "truncate dir")
	requireErrno(t, sys.EISDIR, d.SetAppend(true), "append dir")
	_, errno := d.Seek(1, io.SeekStart)
	requireErrno(t, sys.EISDIR, errno, "seek dir to 1")
	_, errno = d.Seek(0, io.SeekStart)
	requireErrno(t, 0, errno, "rewind dir")
	requireErrno(t, 0, d.Sync(), "sync dir")
	requireErrno(t, 0, d.Utimens(4e9, 4e9), "utimens dir")
	st, errno := d.Stat()
	requireErrno(t, 0, errno, "stat dir")
	if st.Mode.Type() != fs.ModeDir || st.Mtim != 4e9 {
		t.Fatalf("dir stat = %+v", st)
	}
	f := open(t, fsys, "file.txt", sys.O_RDONLY)
	_, errno = f.Readdir(-1)
	requireErrno(t, sys.EBADF, errno, "readdir on a file")
}

func TestReaddir(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	d := open(t, fsys, ".", sys.O_RDONLY|sys.O_DIRECTORY)
	want := map[string]fs.FileMode{
		"file.txt": 0, "empty.txt": 0, "dir": fs.ModeDir, "sub": fs.ModeDir,
		"link-file": fs.ModeSymlink, "link-dir": fs.ModeSymlink, "chain1": fs.ModeSymlink,
		"chain2": fs.ModeSymlink, "esc-etc": fs.ModeSymlink, "esc-abs-in": fs.ModeSymlink,
		"esc-dir": fs.ModeSymlink, "esc-file": fs.ModeSymlink, "esc-chain": fs.ModeSymlink,
		"dangling-out": fs.ModeSymlink,
	}
	// Read in batches of 3: every batch but the last is full.
	var got []sys.Dirent
	for {
		batch, errno := d.Readdir(3)
		requireErrno(t, 0, errno, "readdir")
		got = append(got, batch...)
		if len(batch) < 3 {
			break
		}
	}
	requireDirents(t, want, got)

	// Rewinding sees entries created since.
	requireErrno(t, 0, writeErrno(open(t, fsys, "later.txt", sys.O_WRONLY|sys.O_CREAT).Write([]byte("x"))), "create")
	_, errno := d.Seek(0, io.SeekStart)
	requireErrno(t, 0, errno, "rewind")
	all, errno := d.Readdir(-1)
	requireErrno(t, 0, errno, "readdir all")
	want["later.txt"] = 0
	requireDirents(t, want, all)
	rest, errno := d.Readdir(-1)
	requireErrno(t, 0, errno, "readdir at end")
	if len(rest) != 0 {
		t.Fatalf("readdir at end returned %v", rest)
	}
}

func TestPollRegularFile(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	f := open(t, fsys, "file.txt", sys.O_RDWR).(sys.PollableFile)
	ready, errno := f.Poll(sys.POLLIN|sys.POLLOUT, 0)
	requireErrno(t, 0, errno, "poll")
	if !ready {
		t.Fatal("regular file not ready")
	}
	_, errno = f.Poll(0, 0)
	requireErrno(t, sys.ENOTSUP, errno, "poll without events")
	requireErrno(t, 0, f.SetNonblock(true), "set nonblock")
	if !f.IsNonblock() {
		t.Fatal("IsNonblock = false after SetNonblock(true)")
	}
	if got := readAll(t, f); got != "hello world" {
		t.Fatalf("non-blocking read = %q", got)
	}
	requireErrno(t, 0, f.SetNonblock(false), "clear nonblock")
	if f.IsNonblock() {
		t.Fatal("IsNonblock = true after SetNonblock(false)")
	}
}

func requireDirents(t *testing.T, want map[string]fs.FileMode, got []sys.Dirent) {
	t.Helper()
	names := make([]string, 0, len(got))
	for _, d := range got {
		names = append(names, d.Name)
		typ, ok := want[d.Name]
		switch {
		case !ok:
			t.Errorf("unexpected entry %q", d.Name)
		case d.Type != typ:
			t.Errorf("%s: type %v, want %v", d.Name, d.Type, typ)
		case d.Ino == 0:
			t.Errorf("%s: no inode", d.Name)
		}
	}
	if len(got) != len(want) {
		sort.Strings(names)
		t.Fatalf("entries %v, want %d of them", names, len(want))
	}
}

func requireBytes(t *testing.T, want string, got []byte) {
	t.Helper()
	if string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// writeErrno drops the count of a Read or Write result.
func writeErrno(_ int, errno sys.Errno) sys.Errno { return errno }
