package sandboxfs_test

import (
	"testing"

	"github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"
)

// BenchmarkOpenReadClose compares a nested open+read+close through
// sandboxfs (one openat per path component, done by os.Root) with wazero's
// DirFS (one open of the joined path).
func BenchmarkOpenReadClose(b *testing.B) {
	tr := newTree(b)
	ours := tr.mount(b, false)
	for _, bc := range []struct {
		name string
		fs   sys.FS
	}{{"sandboxfs", ours}, {"DirFS", sysfs.DirFS(tr.root)}} {
		for _, path := range []string{"file.txt", "sub/dir/deep.txt", "link-dir/nested.txt"} {
			b.Run(bc.name+"/"+path, func(b *testing.B) {
				buf := make([]byte, 64)
				for b.Loop() {
					f, errno := bc.fs.OpenFile(path, sys.O_RDONLY, 0)
					if errno != 0 {
						b.Fatal(errno)
					}
					if _, errno := f.Read(buf); errno != 0 {
						b.Fatal(errno)
					}
					f.Close()
				}
			})
		}
	}
}
