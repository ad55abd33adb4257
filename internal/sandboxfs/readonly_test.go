package sandboxfs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/experimental/sys"
)

func TestReadOnlyRefusesWrites(t *testing.T) {
	tests := []struct {
		name string
		op   func(fsys sys.FS) sys.Errno
		want sys.Errno
	}{
		{"open write-only", openOp("file.txt", sys.O_WRONLY), sys.EROFS},
		{"open read-write", openOp("file.txt", sys.O_RDWR), sys.EROFS},
		{"open dir for writing", openOp("dir", sys.O_RDWR|sys.O_DIRECTORY), sys.EISDIR},
		{"create", openOp("new.txt", sys.O_RDONLY|sys.O_CREAT), sys.EROFS},
		{"create write", openOp("new.txt", sys.O_WRONLY|sys.O_CREAT), sys.EROFS},
		{"create exclusive existing", openOp("file.txt", sys.O_RDONLY|sys.O_CREAT|sys.O_EXCL), sys.EEXIST},
		{"truncate at open", openOp("file.txt", sys.O_RDONLY|sys.O_TRUNC), sys.EROFS},
		{"mkdir", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("new", 0o755) }, sys.EROFS},
		{"chmod", func(fsys sys.FS) sys.Errno { return fsys.Chmod("file.txt", 0o777) }, sys.EROFS},
		{"rename", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "x") }, sys.EROFS},
		{"rmdir", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("dir") }, sys.EROFS},
		{"unlink", func(fsys sys.FS) sys.Errno { return fsys.Unlink("file.txt") }, sys.EROFS},
		{"link", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "x") }, sys.EROFS},
		{"symlink", func(fsys sys.FS) sys.Errno { return fsys.Symlink("file.txt", "x") }, sys.EROFS},
		{"utimens", func(fsys sys.FS) sys.Errno { return fsys.Utimens("file.txt", 1, 1) }, sys.EROFS},
		{"file write", fileOp("file.txt", func(f sys.File) sys.Errno { return writeErrno(f.Write([]byte("x"))) }), sys.EBADF},
		{"file pwrite", fileOp("file.txt", func(f sys.File) sys.Errno { return writeErrno(f.Pwrite([]byte("x"), 0)) }), sys.EBADF},
		{"file truncate", fileOp("file.txt", func(f sys.File) sys.Errno { return f.Truncate(0) }), sys.EBADF},
		{"file utimens", fileOp("file.txt", func(f sys.File) sys.Errno { return f.Utimens(1, 1) }), sys.EROFS},
		{"dir write", fileOp("dir", func(f sys.File) sys.Errno { return writeErrno(f.Write([]byte("x"))) }), sys.EISDIR},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTree(t)
			before := snapshot(t, tr.base)
			requireErrno(t, tc.want, tc.op(tr.mount(t, true)), tc.name)
			if after := snapshot(t, tr.base); after != before {
				t.Fatalf("tree changed:\n%s\nwant:\n%s", after, before)
			}
		})
	}
}

func TestReadOnlyReads(t *testing.T) {
	fsys := newTree(t).mount(t, true)
	if got := readFile(t, fsys, "link-dir/nested.txt"); got != "nested" {
		t.Fatalf("read = %q", got)
	}
	f := open(t, fsys, "file.txt", sys.O_RDONLY|sys.O_CREAT)
	if got := readAll(t, f); got != "hello world" {
		t.Fatalf("O_CREAT on existing file read %q", got)
	}
	requireErrno(t, 0, f.Sync(), "sync")
	d := open(t, fsys, "sub", sys.O_RDONLY|sys.O_DIRECTORY)
	ents, errno := d.Readdir(-1)
	requireErrno(t, 0, errno, "readdir")
	if len(ents) != 1 || ents[0].Name != "dir" {
		t.Fatalf("readdir = %v", ents)
	}
	st, errno := fsys.Stat("file.txt")
	requireErrno(t, 0, errno, "stat")
	if st.Size != 11 {
		t.Fatalf("size = %d", st.Size)
	}
	target, errno := fsys.Readlink("link-file")
	requireErrno(t, 0, errno, "readlink")
	if target != "file.txt" {
		t.Fatalf("readlink = %q", target)
	}
}

func fileOp(path string, do func(sys.File) sys.Errno) func(sys.FS) sys.Errno {
	return func(fsys sys.FS) sys.Errno {
		f, errno := fsys.OpenFile(path, sys.O_RDONLY, 0)
		if errno != 0 {
			return errno
		}
		defer f.Close()
		return do(f)
	}
}

// snapshot describes every entry under dir: path, mode, size, mtime and
// content or link target.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var out string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out += p + " " + fi.Mode().String() + " " + fi.ModTime().Format(time.RFC3339Nano)
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out += " -> " + target
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out += " " + string(b)
		}
		out += "\n"
		return nil
	})
	mustNoErr(t, err)
	return out
}
