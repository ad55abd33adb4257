package sandboxfs

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// FS is a wazero filesystem confined to one host directory. Close releases
// the directory handle; call it only once no module uses the FS any more.
type FS interface {
	sys.FS
	io.Closer
}

// New opens hostDir as a confined filesystem. With readOnly, every operation
// that would change the directory fails with EROFS (see the package doc).
func New(hostDir string, readOnly bool) (FS, error) {
	root, err := os.OpenRoot(hostDir)
	if err != nil {
		return nil, fmt.Errorf("sandboxfs: open %q: %w", hostDir, err)
	}
	fsys := &rootFS{root: root}
	if readOnly {
		return &readOnlyFS{rootFS: fsys}, nil
	}
	return fsys, nil
}

// rootFS implements sys.FS with every lookup going through os.Root.
type rootFS struct {
	sys.UnimplementedFS
	root *os.Root
}

var _ FS = (*rootFS)(nil)

// String returns the host directory, for debugging.
func (r *rootFS) String() string { return r.root.Name() }

// Close releases the directory handle.
func (r *rootFS) Close() error {
	if err := r.root.Close(); err != nil {
		return fmt.Errorf("sandboxfs: close %q: %w", r.root.Name(), err)
	}
	return nil
}

// rel turns a wazero path into one os.Root accepts: leading slashes are
// dropped (the FS root is "/"), and an empty result means the root itself.
// A trailing slash is kept so that "file/" fails with ENOTDIR.
func rel(p string) string {
	p = strings.TrimLeft(p, "/")
	if p == "" {
		return "."
	}
	return p
}
