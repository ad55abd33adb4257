package sandboxfs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
)

// TestHammerSharedFS shares one FS between goroutines, as lunatic processes
// spawned with the same preopen may: each goroutine creates, writes, reads,
// renames and removes its own files while the others list the directory.
func TestHammerSharedFS(t *testing.T) {
	const p, n = 8, 40
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p / 2))
	tr := newTree(t)
	fsys := tr.mount(t, false)
	start := make(chan struct{})
	errs := make(chan error, p)
	var wg sync.WaitGroup
	for g := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range n {
				if err := hammerOnce(fsys, fmt.Sprintf("g%d-%d", g, i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	left, err := os.ReadDir(filepath.Join(tr.root, "dir"))
	mustNoErr(t, err)
	if len(left) != 3 { // nested.txt, up, esc-hop
		t.Fatalf("dir/ holds %d entries after the run, want 3", len(left))
	}
	tr.requireOutsideUntouched(t)
}

func hammerOnce(fsys sys.FS, name string) error {
	f, errno := fsys.OpenFile(name, sys.O_WRONLY|sys.O_CREAT|sys.O_EXCL, 0o644)
	if errno != 0 {
		return fmt.Errorf("create %s: %w", name, errno)
	}
	_, errno = f.Write([]byte(name))
	f.Close()
	if errno != 0 {
		return fmt.Errorf("write %s: %w", name, errno)
	}
	moved := "link-dir/" + name
	if errno := fsys.Rename(name, moved); errno != 0 {
		return fmt.Errorf("rename %s: %w", name, errno)
	}
	f, errno = fsys.OpenFile(moved, sys.O_RDONLY, 0)
	if errno != 0 {
		return fmt.Errorf("open %s: %w", moved, errno)
	}
	buf := make([]byte, 64)
	m, errno := f.Read(buf)
	f.Close()
	if errno != 0 || string(buf[:m]) != name {
		return fmt.Errorf("read %s: %q, %v", moved, buf[:m], errno)
	}
	d, errno := fsys.OpenFile(".", sys.O_RDONLY|sys.O_DIRECTORY, 0)
	if errno != 0 {
		return fmt.Errorf("open .: %w", errno)
	}
	_, errno = d.Readdir(-1)
	d.Close()
	if errno != 0 {
		return fmt.Errorf("readdir: %w", errno)
	}
	if errno := fsys.Unlink(moved); errno != 0 {
		return fmt.Errorf("unlink %s: %w", moved, errno)
	}
	return nil
}
