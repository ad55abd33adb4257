package sandboxfs_test

import (
	_ "embed"
	"path/filepath"
	"testing"

	"github.com/lunatic-go/lunatic/internal/sandboxfs"
)

// rustGuest was built from testdata/rustguest with the Debian wasm32-wasi
// toolchain (rustc 1.63, see tools/guest-toolchain.sh); testdata/build.sh (also
// run by `make testdata`) rebuilds it:
//
//	cd testdata/rustguest && cargo build --release --target wasm32-wasi
//	cp target/wasm32-wasi/release/rustguest.wasm ../rustguest.wasm
//
//go:embed testdata/rustguest.wasm
var rustGuest []byte

// rustGuestWant is the transcript of the Rust guest with the layout of
// newTree mounted at "." and "/data", and root/dir mounted at "sub/dir".
const rustGuestWant = `ls .: chain1@ chain2@ dangling-out@ dir/ empty.txt esc-abs-in@ esc-chain@ esc-dir@ esc-etc@ esc-file@ file.txt link-dir@ link-file@ sub/
read relative: hello world
read dot-slash: nested
read through inside link: nested
write: 
append: 
read back: from rust!
rename: 
ls dir: esc-hop@ nested.txt rust.txt up@
mkdir: 
rmdir: 
metadata: len=11 file=true
read /data: hello world
ls /data/sub: dir/
read sub/dir preopen: nested
ls sub/dir preopen: esc-hop@ nested.txt rust.txt up@
escape: link to outside file: error Operation not permitted (os error 63)
escape: link to /etc: error Operation not permitted (os error 63)
escape: list /etc via link: error Operation not permitted (os error 63)
escape: link chain: error Operation not permitted (os error 63)
escape: write via dangling link: error Operation not permitted (os error 63)
escape: dotdot: error Operation not permitted (os error 63)
escape: dotdot from /data: error Operation not permitted (os error 63)
escape: absolute: error No such file or directory (os error 44)
`

// TestRustGuest checks what lunatic's Rust guests rely on: a preopen named
// "." serving relative paths (std::fs::read_dir(".")), next to preopens
// named "/data" and "sub/dir".
func TestRustGuest(t *testing.T) {
	tr := newTree(t)
	dot := tr.mount(t, false)
	data := tr.mount(t, false)
	sub, err := sandboxfs.New(filepath.Join(tr.root, "dir"), false)
	mustNoErr(t, err)
	defer sub.Close()
	got := runGuest(t, rustGuest, []string{"rustguest"},
		mount{dot, "."}, mount{data, "/data"}, mount{sub, "sub/dir"})
	if got != rustGuestWant {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, rustGuestWant)
	}
	tr.requireOutsideUntouched(t)
	requireHostContent(t, filepath.Join(tr.root, "dir", "rust.txt"), "from rust!")
}
