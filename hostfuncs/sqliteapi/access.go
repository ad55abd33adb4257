package sqliteapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/sqlite"
)

// memoryDB is SQLite's name for a private in-memory database.
const memoryDB = ":memory:"

// permit decides whether a process with the given preopened directories may
// open path as a database, and returns the name to hand to SQLite.
//
//   - ":memory:" touches no file and is always allowed.
//   - Everything else first passes lunatic's own gate (sqlite.CheckAccess:
//     lexical, against the host cwd and the preopened host directories).
//   - A file path is then resolved through symbolic links, and the real path
//     must still lie inside the real path of a preopened directory; SQLite is
//     given the real path. Without this, a link created inside a preopened
//     directory (WASI lets a guest make one, though it will not follow it)
//     would let SQLite create or change files anywhere.
//
// The error is an *sqlite.AccessError, whose text is lunatic's.
func permit(cwd, path string, preopens []permissions.Preopen) (string, error) {
	if path == memoryDB {
		return path, nil
	}
	dirs := make([]string, len(preopens))
	for i, d := range preopens {
		dirs[i] = d.Host
	}
	if err := sqlite.CheckAccess(cwd, path, dirs); err != nil {
		return "", err
	}
	if path == "" { // a private temporary database, named by SQLite
		return path, nil
	}
	abs := sqlite.AbsPath(cwd, path)
	real, err := realPath(abs)
	if err == nil {
		for _, d := range dirs {
			rd, derr := filepath.EvalSymlinks(sqlite.AbsPath(cwd, d))
			if derr == nil && within(rd, real) {
				return real, nil
			}
		}
	}
	return "", &sqlite.AccessError{Path: path, Abs: abs}
}

// realPath resolves every symbolic link in abs. Components that do not exist
// yet are kept as they are, but a dangling link is refused: opening it would
// create its target.
func realPath(abs string) (string, error) {
	real, err := filepath.EvalSymlinks(abs)
	if err == nil {
		return real, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if fi, lerr := os.Lstat(abs); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("%s is a dangling symbolic link", abs)
	}
	parent := filepath.Dir(abs)
	if parent == abs {
		return abs, nil
	}
	rp, err := realPath(parent)
	if err != nil {
		return "", err
	}
	return filepath.Join(rp, filepath.Base(abs)), nil
}

// within reports whether clean absolute path p is dir or lies below it.
func within(dir, p string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}
