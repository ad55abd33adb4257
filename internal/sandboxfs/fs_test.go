package sandboxfs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/experimental/sys"
)

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "file")
	mustNoErr(t, os.WriteFile(f, nil, 0o644))
	for _, p := range []string{filepath.Join(dir, "missing"), f} {
		if _, err := sandboxfsNew(p); err == nil {
			t.Errorf("New(%q) succeeded, want an error", p)
		}
	}
}

func TestOpenRead(t *testing.T) {
	tests := []struct {
		path string
		flag sys.Oflag
		want string
	}{
		{"file.txt", sys.O_RDONLY, "hello world"},
		{"/file.txt", sys.O_RDONLY, "hello world"},
		{"//dir/nested.txt", sys.O_RDONLY, "nested"},
		{"dir/./nested.txt", sys.O_RDONLY, "nested"},
		{"dir/../file.txt", sys.O_RDONLY, "hello world"},
		{"sub/dir/deep.txt", sys.O_RDONLY, "deep"},
		{"empty.txt", sys.O_RDONLY, ""},
		{"link-file", sys.O_RDONLY, "hello world"},
		{"link-dir/nested.txt", sys.O_RDONLY, "nested"},
		{"dir/up", sys.O_RDONLY, "hello world"},
		{"chain1", sys.O_RDONLY, "nested"},
		{"file.txt", sys.O_RDWR, "hello world"},
	}
	fsys := newTree(t).mount(t, false)
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			f := open(t, fsys, tc.path, tc.flag)
			if got := readAll(t, f); got != tc.want {
				t.Fatalf("read %q = %q, want %q", tc.path, got, tc.want)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		path string
		flag sys.Oflag
		want sys.Errno
	}{
		{"missing", "nope.txt", sys.O_RDONLY, sys.ENOENT},
		{"missing parent", "nope/file.txt", sys.O_RDONLY | sys.O_CREAT, sys.ENOENT},
		{"file as dir", "file.txt/x", sys.O_RDONLY, sys.ENOTDIR},
		{"trailing slash on file", "file.txt/", sys.O_RDONLY, sys.ENOTDIR},
		{"O_DIRECTORY on file", "file.txt", sys.O_RDONLY | sys.O_DIRECTORY, sys.ENOTDIR},
		{"O_DIRECTORY for writing", "dir", sys.O_RDWR | sys.O_DIRECTORY, sys.EISDIR},
		{"dir for writing", "dir", sys.O_WRONLY, sys.EISDIR},
		{"O_EXCL on existing", "file.txt", sys.O_RDWR | sys.O_CREAT | sys.O_EXCL, sys.EEXIST},
		{"O_EXCL on symlink", "link-file", sys.O_RDWR | sys.O_CREAT | sys.O_EXCL, sys.EEXIST},
		{"O_NOFOLLOW on symlink", "link-file", sys.O_RDONLY | sys.O_NOFOLLOW, sys.ELOOP},
		{"O_NOFOLLOW on dir symlink", "link-dir", sys.O_RDONLY | sys.O_NOFOLLOW, sys.ELOOP},
		{"O_NOFOLLOW|O_DIRECTORY on dir symlink", "link-dir", sys.O_RDONLY | sys.O_NOFOLLOW | sys.O_DIRECTORY, sys.ENOTDIR},
		{"O_NOFOLLOW create through symlink", "link-file", sys.O_RDWR | sys.O_CREAT | sys.O_NOFOLLOW, sys.ELOOP},
		{"symlink loop", "loop-a", sys.O_RDONLY, sys.ELOOP},
	}
	tr := newTree(t)
	mustNoErr(t, os.Symlink("loop-b", filepath.Join(tr.root, "loop-a")))
	mustNoErr(t, os.Symlink("loop-a", filepath.Join(tr.root, "loop-b")))
	fsys := tr.mount(t, false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, errno := fsys.OpenFile(tc.path, tc.flag, 0o644)
			if errno == 0 {
				f.Close()
			}
			requireErrno(t, tc.want, errno, "open "+tc.path)
		})
	}
}

func TestOpenFlagsThatSucceed(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	t.Run("O_NOFOLLOW on a regular file", func(t *testing.T) {
		f := open(t, fsys, "dir/nested.txt", sys.O_RDONLY|sys.O_NOFOLLOW)
		if got := readAll(t, f); got != "nested" {
			t.Fatalf("read = %q", got)
		}
	})
	t.Run("O_NOFOLLOW follows links before the last component", func(t *testing.T) {
		f := open(t, fsys, "link-dir/nested.txt", sys.O_RDONLY|sys.O_NOFOLLOW)
		if got := readAll(t, f); got != "nested" {
			t.Fatalf("read = %q", got)
		}
	})
	t.Run("O_NOFOLLOW with a trailing slash follows", func(t *testing.T) {
		f := open(t, fsys, "link-dir/", sys.O_RDONLY|sys.O_NOFOLLOW|sys.O_DIRECTORY)
		requireIsDir(t, f, true)
	})
	t.Run("O_DIRECTORY through symlink", func(t *testing.T) {
		f := open(t, fsys, "link-dir", sys.O_RDONLY|sys.O_DIRECTORY)
		requireIsDir(t, f, true)
	})
	t.Run("root by every name", func(t *testing.T) {
		for _, p := range []string{"", ".", "/", "dir/.."} {
			f := open(t, fsys, p, sys.O_RDONLY|sys.O_DIRECTORY)
			requireIsDir(t, f, true)
		}
	})
	t.Run("O_CREAT creates with the usual mode", func(t *testing.T) {
		// wazero's WASI asks for 0600; the file gets 0666 less the umask, as in the original.
		f, errno := fsys.OpenFile("new.txt", sys.O_WRONLY|sys.O_CREAT|sys.O_EXCL, 0o600)
		requireErrno(t, 0, errno, "create")
		_, errno = f.Write([]byte("made"))
		requireErrno(t, 0, errno, "write")
		requireErrno(t, 0, f.Close(), "close")
		if got := hostRead(t, filepath.Join(tr.root, "new.txt")); got != "made" {
			t.Fatalf("host sees %q", got)
		}
		fi, err := os.Stat(filepath.Join(tr.root, "new.txt"))
		mustNoErr(t, err)
		if want := 0o666 &^ umask(t); fi.Mode().Perm() != want {
			t.Fatalf("perm = %v, want %v", fi.Mode().Perm(), want)
		}
	})
	t.Run("O_CREAT through an inside symlink", func(t *testing.T) {
		mustNoErr(t, os.Symlink("dir/made-by-link.txt", filepath.Join(tr.root, "dangling-in")))
		f := open(t, fsys, "dangling-in", sys.O_WRONLY|sys.O_CREAT)
		_, errno := f.Write([]byte("via link"))
		requireErrno(t, 0, errno, "write")
		if got := hostRead(t, filepath.Join(tr.root, "dir", "made-by-link.txt")); got != "via link" {
			t.Fatalf("host sees %q", got)
		}
	})
	t.Run("O_TRUNC", func(t *testing.T) {
		mustNoErr(t, os.WriteFile(filepath.Join(tr.root, "trunc.txt"), []byte("long content"), 0o644))
		f := open(t, fsys, "trunc.txt", sys.O_RDWR|sys.O_TRUNC)
		st, errno := f.Stat()
		requireErrno(t, 0, errno, "stat")
		if st.Size != 0 {
			t.Fatalf("size after O_TRUNC = %d", st.Size)
		}
	})
}

func TestStatAndLstat(t *testing.T) {
	tests := []struct {
		path      string
		statMode  fs.FileMode
		lstatMode fs.FileMode
		size      int64
	}{
		{"file.txt", 0, 0, 11},
		{"dir", fs.ModeDir, fs.ModeDir, -1},
		{".", fs.ModeDir, fs.ModeDir, -1},
		{"/", fs.ModeDir, fs.ModeDir, -1},
		{"link-file", 0, fs.ModeSymlink, 11},
		{"link-dir", fs.ModeDir, fs.ModeSymlink, -1},
		{"chain1", 0, fs.ModeSymlink, 6},
	}
	fsys := newTree(t).mount(t, false)
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			st, errno := fsys.Stat(tc.path)
			requireErrno(t, 0, errno, "stat")
			if st.Mode.Type() != tc.statMode {
				t.Errorf("stat type = %v, want %v", st.Mode.Type(), tc.statMode)
			}
			if tc.size >= 0 && st.Size != tc.size {
				t.Errorf("stat size = %d, want %d", st.Size, tc.size)
			}
			if st.Ino == 0 || st.Nlink == 0 {
				t.Errorf("stat ino/nlink not filled: %+v", st)
			}
			lst, errno := fsys.Lstat(tc.path)
			requireErrno(t, 0, errno, "lstat")
			if lst.Mode.Type() != tc.lstatMode {
				t.Errorf("lstat type = %v, want %v", lst.Mode.Type(), tc.lstatMode)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, errno := fsys.Stat("nope")
		requireErrno(t, sys.ENOENT, errno, "stat")
		_, errno = fsys.Lstat("nope")
		requireErrno(t, sys.ENOENT, errno, "lstat")
	})
}

func TestMutations(t *testing.T) {
	tests := []struct {
		name  string
		op    func(fsys sys.FS) sys.Errno
		want  sys.Errno
		check func(t *testing.T, root string)
	}{
		{"mkdir", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("newdir", 0o750) }, 0,
			func(t *testing.T, root string) { requireHostMode(t, filepath.Join(root, "newdir"), fs.ModeDir|0o750) }},
		{"mkdir trailing slash", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("newdir2/", 0o755) }, 0,
			func(t *testing.T, root string) { requireHostMode(t, filepath.Join(root, "newdir2"), fs.ModeDir|0o755) }},
		{"mkdir existing", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("dir", 0o755) }, sys.EEXIST, nil},
		{"mkdir over file", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("file.txt", 0o755) }, sys.EEXIST, nil},
		{"mkdir missing parent", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("nope/x", 0o755) }, sys.ENOENT, nil},
		{"mkdir under file", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("file.txt/x", 0o755) }, sys.ENOENT, nil},
		{"chmod", func(fsys sys.FS) sys.Errno { return fsys.Chmod("file.txt", 0o600) }, 0,
			func(t *testing.T, root string) { requireHostMode(t, filepath.Join(root, "file.txt"), 0o600) }},
		{"chmod follows link", func(fsys sys.FS) sys.Errno { return fsys.Chmod("link-file", 0o640) }, 0,
			func(t *testing.T, root string) { requireHostMode(t, filepath.Join(root, "file.txt"), 0o640) }},
		{"chmod missing", func(fsys sys.FS) sys.Errno { return fsys.Chmod("nope", 0o600) }, sys.ENOENT, nil},
		{"rename file", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "dir/moved.txt") }, 0,
			func(t *testing.T, root string) {
				requireHostContent(t, filepath.Join(root, "dir", "moved.txt"), "hello world")
				requireHostMissing(t, filepath.Join(root, "file.txt"))
			}},
		{"rename dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("sub", "sub2") }, 0,
			func(t *testing.T, root string) {
				requireHostContent(t, filepath.Join(root, "sub2", "dir", "deep.txt"), "deep")
			}},
		{"rename onto itself", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "file.txt") }, 0,
			func(t *testing.T, root string) { requireHostContent(t, filepath.Join(root, "file.txt"), "hello world") }},
		{"rename replaces file", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "empty.txt") }, 0,
			func(t *testing.T, root string) {
				requireHostContent(t, filepath.Join(root, "empty.txt"), "hello world")
			}},
		{"rename symlink itself", func(fsys sys.FS) sys.Errno { return fsys.Rename("link-file", "link-moved") }, 0,
			func(t *testing.T, root string) {
				requireHostLink(t, filepath.Join(root, "link-moved"), "file.txt")
				requireHostContent(t, filepath.Join(root, "file.txt"), "hello world")
			}},
		{"rename missing", func(fsys sys.FS) sys.Errno { return fsys.Rename("nope", "x") }, sys.ENOENT, nil},
		{"rename file onto dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "dir") }, sys.EISDIR, nil},
		{"rename dir onto file", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "file.txt") }, sys.ENOTDIR, nil},
		{"rename dir onto non-empty dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "sub") }, sys.ENOTEMPTY, nil},
		{"rename dir onto empty dir", func(fsys sys.FS) sys.Errno {
			if errno := fsys.Mkdir("empty-dir", 0o755); errno != 0 {
				return errno
			}
			return fsys.Rename("dir", "empty-dir")
		}, 0, func(t *testing.T, root string) {
			requireHostContent(t, filepath.Join(root, "empty-dir", "nested.txt"), "nested")
		}},
		{"rename dir into itself", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "dir/inner") }, sys.EINVAL, nil},
		{"rename file with trailing slash", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt/", "x") }, sys.ENOTDIR, nil},
		{"rename through inside symlink dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("link-dir/nested.txt", "n.txt") }, 0,
			func(t *testing.T, root string) { requireHostContent(t, filepath.Join(root, "n.txt"), "nested") }},
		{"rmdir", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("sub/dir/") }, sys.ENOTEMPTY, nil},
		{"rmdir empty", func(fsys sys.FS) sys.Errno {
			if errno := fsys.Mkdir("gone", 0o755); errno != 0 {
				return errno
			}
			return fsys.Rmdir("gone")
		}, 0, func(t *testing.T, root string) { requireHostMissing(t, filepath.Join(root, "gone")) }},
		{"rmdir file", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("file.txt") }, sys.ENOTDIR, nil},
		{"rmdir symlink to dir", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("link-dir") }, sys.ENOTDIR, nil},
		{"rmdir missing", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("nope") }, sys.ENOENT, nil},
		{"unlink", func(fsys sys.FS) sys.Errno { return fsys.Unlink("file.txt") }, 0,
			func(t *testing.T, root string) { requireHostMissing(t, filepath.Join(root, "file.txt")) }},
		{"unlink symlink itself", func(fsys sys.FS) sys.Errno { return fsys.Unlink("link-file") }, 0,
			func(t *testing.T, root string) {
				requireHostMissing(t, filepath.Join(root, "link-file"))
				requireHostContent(t, filepath.Join(root, "file.txt"), "hello world")
			}},
		{"unlink dir", func(fsys sys.FS) sys.Errno { return fsys.Unlink("dir") }, sys.EISDIR, nil},
		{"unlink missing", func(fsys sys.FS) sys.Errno { return fsys.Unlink("nope") }, sys.ENOENT, nil},
		{"unlink trailing slash", func(fsys sys.FS) sys.Errno { return fsys.Unlink("file.txt/") }, sys.ENOTDIR, nil},
		{"link", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "dir/hard.txt") }, 0,
			func(t *testing.T, root string) {
				requireHostContent(t, filepath.Join(root, "dir", "hard.txt"), "hello world")
			}},
		{"link existing", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "empty.txt") }, sys.EEXIST, nil},
		{"link missing", func(fsys sys.FS) sys.Errno { return fsys.Link("nope", "x") }, sys.ENOENT, nil},
		{"symlink", func(fsys sys.FS) sys.Errno { return fsys.Symlink("dir/nested.txt", "my-link") }, 0,
			func(t *testing.T, root string) { requireHostLink(t, filepath.Join(root, "my-link"), "dir/nested.txt") }},
		{"symlink existing", func(fsys sys.FS) sys.Errno { return fsys.Symlink("file.txt", "dir") }, sys.EEXIST, nil},
		{"symlink absolute target", func(fsys sys.FS) sys.Errno { return fsys.Symlink("/etc", "abs") }, sys.EPERM,
			func(t *testing.T, root string) { requireHostMissing(t, filepath.Join(root, "abs")) }},
		{"utimens", func(fsys sys.FS) sys.Errno { return fsys.Utimens("file.txt", 1e9, 2e9+5) }, 0,
			func(t *testing.T, root string) { requireHostMtime(t, filepath.Join(root, "file.txt"), time.Unix(2, 5)) }},
		{"utimens follows link", func(fsys sys.FS) sys.Errno { return fsys.Utimens("link-file", sys.UTIME_OMIT, 3e9) }, 0,
			func(t *testing.T, root string) { requireHostMtime(t, filepath.Join(root, "file.txt"), time.Unix(3, 0)) }},
		{"utimens missing", func(fsys sys.FS) sys.Errno { return fsys.Utimens("nope", 1, 1) }, sys.ENOENT, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTree(t)
			fsys := tr.mount(t, false)
			requireErrno(t, tc.want, tc.op(fsys), tc.name)
			if tc.check != nil {
				tc.check(t, tr.root)
			}
			tr.requireOutsideUntouched(t)
		})
	}
}

func TestUtimensOmit(t *testing.T) {
	tr := newTree(t)
	fsys := tr.mount(t, false)
	requireErrno(t, 0, fsys.Utimens("file.txt", 10e9, 20e9), "utimens")
	requireErrno(t, 0, fsys.Utimens("file.txt", 30e9, sys.UTIME_OMIT), "utimens atim only")
	st, errno := fsys.Stat("file.txt")
	requireErrno(t, 0, errno, "stat")
	if st.Atim != 30e9 || st.Mtim != 20e9 {
		t.Fatalf("atim, mtim = %d, %d; want 30e9, 20e9", st.Atim, st.Mtim)
	}
}

func TestReadlink(t *testing.T) {
	fsys := newTree(t).mount(t, false)
	for path, want := range map[string]string{
		"link-file":    "file.txt",
		"chain1":       "chain2",
		"esc-dir":      "../outside",
		"esc-etc":      "/etc",
		"dangling-out": "../outside/new.txt",
	} {
		got, errno := fsys.Readlink(path)
		requireErrno(t, 0, errno, "readlink "+path)
		if got != want {
			t.Errorf("readlink %s = %q, want %q", path, got, want)
		}
	}
	_, errno := fsys.Readlink("file.txt")
	requireErrno(t, sys.EINVAL, errno, "readlink of a regular file")
}

func requireIsDir(t *testing.T, f sys.File, want bool) {
	t.Helper()
	isDir, errno := f.IsDir()
	requireErrno(t, 0, errno, "isdir")
	if isDir != want {
		t.Fatalf("IsDir = %v, want %v", isDir, want)
	}
}

func requireHostMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	mustNoErr(t, err)
	if got := fi.Mode() & (fs.ModeType | fs.ModePerm); got != want {
		t.Fatalf("mode of %s = %v, want %v", path, got, want)
	}
}

func requireHostContent(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	mustNoErr(t, err)
	if string(b) != want {
		t.Fatalf("%s = %q, want %q", path, b, want)
	}
}

func requireHostMissing(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists (err=%v)", path, err)
	}
}

func requireHostLink(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.Readlink(path)
	mustNoErr(t, err)
	if got != want {
		t.Fatalf("link %s -> %q, want %q", path, got, want)
	}
}

func requireHostMtime(t *testing.T, path string, want time.Time) {
	t.Helper()
	fi, err := os.Stat(path)
	mustNoErr(t, err)
	if !fi.ModTime().Equal(want) {
		t.Fatalf("mtime of %s = %v, want %v", path, fi.ModTime(), want)
	}
}
