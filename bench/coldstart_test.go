package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// helloWasm is the Rust hello-world guest of the end-to-end tests.
const helloWasm = "../testdata/wasm/hello.wasm"

// BenchmarkColdStart measures `lunatic run hello.wasm` as a new OS process: "first" with
// an empty compilation cache (instrument + compile every time), "cached" with a warm one.
// The baseline is bench/wazerorun, which runs the module with plain wazero and WASI the
// way the wazero CLI does. Binaries come from $BENCH_LUNATIC and $BENCH_WAZERORUN, or are
// built into a temporary directory.
func BenchmarkColdStart(b *testing.B) {
	wasm, err := filepath.Abs(helloWasm)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, env, pkg string
		args           func(cache string) []string
	}{
		{"lunatic", "BENCH_LUNATIC", "../cmd/lunatic", func(cache string) []string {
			return []string{"run", "--cache-dir", cache, wasm}
		}},
		{"wazero", "BENCH_WAZERORUN", "./wazerorun", func(cache string) []string {
			return []string{"-cache-dir", cache, wasm}
		}},
	} {
		bin := buildBinary(b, c.env, c.pkg)
		b.Run(c.name+"/first", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				cache := b.TempDir()
				b.StartTimer()
				runHello(b, bin, c.args(cache))
			}
		})
		b.Run(c.name+"/cached", func(b *testing.B) {
			cache := b.TempDir()
			runHello(b, bin, c.args(cache))
			b.ResetTimer()
			for range b.N {
				runHello(b, bin, c.args(cache))
			}
		})
	}
}

// buildBinary returns $env, or builds pkg into a temporary directory.
func buildBinary(tb testing.TB, env, pkg string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	out := filepath.Join(tb.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// runHello runs bin with args in a scratch directory and checks the greeting.
func runHello(tb testing.TB, bin string, args []string) {
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = tb.TempDir()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %v: %v\n%s", bin, args, err, errOut.String())
	}
	if out.String() != "Hello, world!\n" {
		tb.Fatalf("%s printed %q, want the greeting", bin, out.String())
	}
}
