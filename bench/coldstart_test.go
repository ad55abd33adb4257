package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// helloWasm is the Rust hello-world guest of the end-to-end tests.
const helloWasm = "../testdata/wasm/hello.wasm"

// BenchmarkColdStart measures `lunatic run hello.wasm` as a new OS process: "first" with
// an empty compilation cache (instrument + compile every time), "cached" with a warm one.
// The baseline is bench/wazerorun, which runs the module with plain wazero and WASI the
// way the wazero CLI does. Each iteration runs both, one after the other, so that load
// from other programs hits both alike; the figures are the medians (lunatic-ns,
// wazero-ns). Binaries come from $BENCH_LUNATIC and $BENCH_WAZERORUN, or are built into
// a temporary directory.
func BenchmarkColdStart(b *testing.B) {
	wasm, err := filepath.Abs(helloWasm)
	if err != nil {
		b.Fatal(err)
	}
	lunatic := buildBinary(b, "BENCH_LUNATIC", "../cmd/lunatic")
	wazerorun := buildBinary(b, "BENCH_WAZERORUN", "./wazerorun")
	runBoth := func(b *testing.B, lunaticCache, wazeroCache string) (time.Duration, time.Duration) {
		t0 := time.Now()
		runHello(b, lunatic, []string{"run", "--cache-dir", lunaticCache, wasm})
		t1 := time.Now()
		runHello(b, wazerorun, []string{"-cache-dir", wazeroCache, wasm})
		return t1.Sub(t0), time.Since(t1)
	}
	b.Run("first", func(b *testing.B) {
		var ours, base []time.Duration
		for range b.N {
			o, w := runBoth(b, b.TempDir(), b.TempDir())
			ours, base = append(ours, o), append(base, w)
		}
		reportPair(b, ours, base, 1)
	})
	b.Run("cached", func(b *testing.B) {
		lc, wc := b.TempDir(), b.TempDir()
		runBoth(b, lc, wc) // fill the caches
		var ours, base []time.Duration
		for range b.N {
			o, w := runBoth(b, lc, wc)
			ours, base = append(ours, o), append(base, w)
		}
		reportPair(b, ours, base, 1)
	})
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
