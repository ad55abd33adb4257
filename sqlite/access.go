package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AccessError is the failure of CheckAccess. Its text is the top-level message
// lunatic puts in the error resource that open returns.
type AccessError struct {
	Path string // the path as the guest gave it
	Abs  string // the path made absolute and cleaned
}

// Error returns "Failed to access '<path>'".
func (e *AccessError) Error() string { return fmt.Sprintf("Failed to access '%s'", e.Path) }

// Reason is the cause lunatic attaches below the top-level message.
func (e *AccessError) Reason() string { return fmt.Sprintf("Permission to '%q' denied", e.Abs) }

// AbsPath makes path absolute against cwd and cleans it lexically ("." is
// dropped, ".." removes the previous component); symlinks are not resolved.
func AbsPath(cwd, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(cwd, path)
}

// AccessDir returns the directory lunatic's open checks for path: the parent
// of AbsPath(cwd, path) when that is an existing regular file, otherwise
// AbsPath(cwd, path) itself (so ":memory:" checks "<cwd>/:memory:").
func AccessDir(cwd, path string) string {
	abs := AbsPath(cwd, path)
	if fi, err := os.Stat(abs); err == nil && fi.Mode().IsRegular() {
		return filepath.Dir(abs)
	}
	return abs
}

// CheckAccess is lunatic's permission gate for open: it grants path when one
// of preopens (the process's preopened directories as host paths, relative
// ones against cwd) exists, is a directory, and is AccessDir(cwd, path) or an
// ancestor of it. It returns nil or an *AccessError.
func CheckAccess(cwd, path string, preopens []string) error {
	dir := AccessDir(cwd, path)
	for _, p := range preopens {
		pre := AbsPath(cwd, p)
		if !isAncestor(pre, dir) {
			continue
		}
		if fi, err := os.Stat(pre); err == nil && fi.IsDir() {
			return nil
		}
	}
	return &AccessError{Path: path, Abs: AbsPath(cwd, path)}
}

// isAncestor reports whether clean absolute path a equals d or is a parent of
// it, comparing whole components.
func isAncestor(a, d string) bool {
	if a == d {
		return true
	}
	if !strings.HasSuffix(a, string(filepath.Separator)) {
		a += string(filepath.Separator)
	}
	return strings.HasPrefix(d, a)
}
