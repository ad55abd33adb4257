package sandboxfs_test

import (
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"
)

// parityOps are operations that stay inside the directory, where sandboxfs
// must answer exactly as wazero's DirFS does.
var parityOps = []struct {
	name string
	op   func(fsys sys.FS) sys.Errno
}{
	{"open missing", openOp("nope", sys.O_RDONLY)},
	{"open file", openOp("file.txt", sys.O_RDONLY)},
	{"open file rdwr", openOp("file.txt", sys.O_RDWR)},
	{"open file as dir", openOp("file.txt", sys.O_RDONLY|sys.O_DIRECTORY)},
	{"open under file", openOp("file.txt/x", sys.O_RDONLY)},
	{"open file trailing slash", openOp("file.txt/", sys.O_RDONLY)},
	{"open dir", openOp("dir", sys.O_RDONLY)},
	{"open dir trailing slash", openOp("dir/", sys.O_RDONLY|sys.O_DIRECTORY)},
	{"open dir for write", openOp("dir", sys.O_WRONLY)},
	{"open dir rdwr", openOp("dir", sys.O_RDWR)},
	{"open link", openOp("link-file", sys.O_RDONLY)},
	{"open link nofollow", openOp("link-file", sys.O_RDONLY|sys.O_NOFOLLOW)},
	{"open dir link nofollow", openOp("link-dir", sys.O_RDONLY|sys.O_NOFOLLOW)},
	{"open dir link nofollow O_DIRECTORY", openOp("link-dir", sys.O_RDONLY|sys.O_NOFOLLOW|sys.O_DIRECTORY)},
	{"open dir link trailing slash nofollow", openOp("link-dir/", sys.O_RDONLY|sys.O_NOFOLLOW)},
	{"create", openOp("new", sys.O_WRONLY|sys.O_CREAT)},
	{"create excl existing", openOp("file.txt", sys.O_WRONLY|sys.O_CREAT|sys.O_EXCL)},
	{"create excl link", openOp("link-file", sys.O_WRONLY|sys.O_CREAT|sys.O_EXCL)},
	{"create in missing dir", openOp("nope/new", sys.O_WRONLY|sys.O_CREAT)},
	{"create dir path", openOp("dir", sys.O_RDONLY|sys.O_CREAT)},
	{"truncate dir", openOp("dir", sys.O_RDONLY|sys.O_TRUNC)},
	{"stat missing", statOp("nope")},
	{"stat under file", statOp("file.txt/x")},
	{"stat trailing slash", statOp("file.txt/")},
	{"lstat link", func(fsys sys.FS) sys.Errno { _, e := fsys.Lstat("link-dir"); return e }},
	{"mkdir", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("newdir", 0o755) }},
	{"mkdir existing", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("dir", 0o755) }},
	{"mkdir over file", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("file.txt", 0o755) }},
	{"mkdir under file", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("file.txt/x", 0o755) }},
	{"mkdir missing parent", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("nope/x", 0o755) }},
	{"mkdir over link", func(fsys sys.FS) sys.Errno { return fsys.Mkdir("link-dir", 0o755) }},
	{"chmod missing", func(fsys sys.FS) sys.Errno { return fsys.Chmod("nope", 0o600) }},
	{"rename", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "renamed") }},
	{"rename missing", func(fsys sys.FS) sys.Errno { return fsys.Rename("nope", "x") }},
	{"rename file onto dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "dir") }},
	{"rename dir onto file", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "file.txt") }},
	{"rename dir onto full dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "sub") }},
	{"rename dir into itself", func(fsys sys.FS) sys.Errno { return fsys.Rename("dir", "dir/x") }},
	{"rename onto itself", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "file.txt") }},
	{"rename into missing dir", func(fsys sys.FS) sys.Errno { return fsys.Rename("file.txt", "nope/x") }},
	{"rmdir file", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("file.txt") }},
	{"rmdir full", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("sub") }},
	{"rmdir link", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("link-dir") }},
	{"rmdir missing", func(fsys sys.FS) sys.Errno { return fsys.Rmdir("nope") }},
	{"unlink dir", func(fsys sys.FS) sys.Errno { return fsys.Unlink("dir") }},
	{"unlink missing", func(fsys sys.FS) sys.Errno { return fsys.Unlink("nope") }},
	{"unlink trailing slash", func(fsys sys.FS) sys.Errno { return fsys.Unlink("file.txt/") }},
	{"unlink link", func(fsys sys.FS) sys.Errno { return fsys.Unlink("link-dir") }},
	{"link", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "hard") }},
	{"link existing", func(fsys sys.FS) sys.Errno { return fsys.Link("file.txt", "empty.txt") }},
	{"link missing", func(fsys sys.FS) sys.Errno { return fsys.Link("nope", "hard") }},
	{"link dir", func(fsys sys.FS) sys.Errno { return fsys.Link("dir", "hard") }},
	{"symlink", func(fsys sys.FS) sys.Errno { return fsys.Symlink("file.txt", "soft") }},
	{"symlink existing", func(fsys sys.FS) sys.Errno { return fsys.Symlink("file.txt", "dir") }},
	{"symlink absolute", func(fsys sys.FS) sys.Errno { return fsys.Symlink("/x", "soft") }},
	{"readlink file", func(fsys sys.FS) sys.Errno { _, e := fsys.Readlink("file.txt"); return e }},
	{"readlink missing", func(fsys sys.FS) sys.Errno { _, e := fsys.Readlink("nope"); return e }},
	{"utimens missing", func(fsys sys.FS) sys.Errno { return fsys.Utimens("nope", 1, 1) }},
}

// TestParityWithDirFS runs each operation on a fresh tree through DirFS and
// through sandboxfs and requires the same errno.
func TestParityWithDirFS(t *testing.T) {
	for _, tc := range parityOps {
		t.Run(tc.name, func(t *testing.T) {
			ref := newTree(t)
			want := tc.op(sysfs.DirFS(ref.root))
			tr := newTree(t)
			got := tc.op(tr.mount(t, false))
			requireErrno(t, want, got, tc.name)
		})
	}
}
