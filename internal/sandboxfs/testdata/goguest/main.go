// Command goguest is a WASI guest (GOOS=wasip1 GOARCH=wasm) for the
// sandboxfs end-to-end test. It runs the steps named by its arguments
// against a writable preopen and a read-only one and prints one line per
// step: the result, or the errno of the failure.
//
// Usage: goguest RW_DIR RO_DIR
package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
)

func main() {
	rw, ro := os.Args[1], os.Args[2]
	steps := []struct {
		name string
		run  func() (string, error)
	}{
		{"ls rw", func() (string, error) { return ls(rw) }},
		{"read file", func() (string, error) { return read(rw + "/file.txt") }},
		{"read through inside link", func() (string, error) { return read(rw + "/link-dir/nested.txt") }},
		{"read through link chain", func() (string, error) { return read(rw + "/chain1") }},
		{"write", func() (string, error) { return "", os.WriteFile(rw+"/new.txt", []byte("written by guest"), 0o644) }},
		{"append", func() (string, error) { return "", appendTo(rw+"/new.txt", "!") }},
		{"read back", func() (string, error) { return read(rw + "/new.txt") }},
		{"rename", func() (string, error) { return "", os.Rename(rw+"/new.txt", rw+"/dir/renamed.txt") }},
		{"ls dir", func() (string, error) { return ls(rw + "/dir") }},
		{"mkdir", func() (string, error) { return "", os.Mkdir(rw+"/made", 0o755) }},
		{"rmdir", func() (string, error) { return "", os.Remove(rw + "/made") }},
		{"own inside link", func() (string, error) { return readVia(rw, "dir/nested.txt", "/my-link", "/my-link") }},
		{"stat", func() (string, error) { return stat(rw + "/file.txt") }},
		{"escape: link to outside file", func() (string, error) { return read(rw + "/esc-file") }},
		{"escape: link to /etc", func() (string, error) { return read(rw + "/esc-etc/hostname") }},
		{"escape: list /etc via link", func() (string, error) { return ls(rw + "/esc-etc") }},
		{"escape: link chain", func() (string, error) { return read(rw + "/esc-chain") }},
		{"escape: write via dangling link", func() (string, error) { return "", os.WriteFile(rw+"/dangling-out", []byte("x"), 0o644) }},
		{"escape: own link read", func() (string, error) { return readVia(rw, "../outside", "/mine", "/mine/secret.txt") }},
		{"escape: own link write", func() (string, error) { return "", os.WriteFile(rw+"/mine/new.txt", []byte("x"), 0o644) }},
		{"escape: raw dotdot", func() (string, error) { return rawOpen(rw, "../outside/secret.txt") }},
		{"escape: path outside preopens", func() (string, error) { return read("/etc/hostname") }},
		{"ro read", func() (string, error) { return read(ro + "/file.txt") }},
		{"ro write", func() (string, error) { return "", os.WriteFile(ro+"/ro.txt", []byte("x"), 0o644) }},
		{"ro mkdir", func() (string, error) { return "", os.Mkdir(ro+"/made", 0o755) }},
		{"ro remove", func() (string, error) { return "", os.Remove(ro + "/file.txt") }},
	}
	for _, s := range steps {
		out, err := s.run()
		if err != nil {
			out = "error " + errnoText(err)
		}
		fmt.Printf("%s: %s\n", s.name, out)
	}
}

func ls(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		} else if e.Type()&os.ModeSymlink != 0 {
			name += "@"
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, " "), nil
}

func read(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

func appendTo(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readVia creates dir+link -> target, then reads dir+path.
func readVia(dir, target, link, path string) (string, error) {
	if err := os.Symlink(target, dir+link); err != nil {
		return "", err
	}
	return read(dir + path)
}

func stat(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("size=%d mode=%v", fi.Size(), fi.Mode()), nil
}

// rawOpen opens path relative to the preopen of dir without Go's own path
// cleaning, so ".." reaches the host.
func rawOpen(dir, path string) (string, error) {
	d, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		return "", err
	}
	defer syscall.Close(d)
	fd, err := syscall.Openat(d, path, syscall.O_RDONLY, 0)
	if err != nil {
		return "", err
	}
	syscall.Close(fd)
	return "opened", nil
}

func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return err.Error()
}
