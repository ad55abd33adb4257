package scheduler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// The Go guests are built from the sources next to them (run go generate to
// rebuild, with the Go version named in go.mod):
//
//go:generate sh -c "GOOS=wasip1 GOARCH=wasm go build -o testdata/gohello.wasm ./testdata/gohello"
//go:generate sh -c "GOOS=wasip1 GOARCH=wasm go build -o testdata/gowork.wasm ./testdata/gowork"

// runResult is what a WASI command did.
type runResult struct {
	stdout, stderr string
	exitCode       uint32
	trap           string // first line of the error of a trapping run
	yields         int64
}

// runWASI runs a WASI command module with args and returns its output.
func runWASI(t testing.TB, wasm []byte, args ...string) runResult {
	t.Helper()
	ctx := context.Background()
	h := &fuelHost{quantum: 10_000}
	r := newRuntime(t, h)
	// EpochLoops modules' loops poll the stack bound, which ticks set through the cell
	// of the call; function entries are preempted through it in every mode.
	e := newEntries(h)
	h.tick(t, 200*time.Microsecond) // Epoch modules yield on every tick
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	var stdout, stderr bytes.Buffer
	cfg := wazero.NewModuleConfig().WithName("").WithStdout(&stdout).WithStderr(&stderr).
		WithArgs(append([]string{"guest"}, args...)...).WithStartFunctions()
	mod, err := r.InstantiateWithConfig(ctx, wasm, cfg)
	if err == nil {
		e.m = mod
		_, err = mod.ExportedFunction("_start").Call(e.context(ctx))
	}
	var exit *sys.ExitError
	res := runResult{stdout: stdout.String(), stderr: stderr.String(), yields: h.yields.Load()}
	if err != nil && mod != nil {
		mod.Close(ctx)
	}
	switch {
	case errors.As(err, &exit):
		res.exitCode = exit.ExitCode()
	case err != nil:
		res.trap, _, _ = strings.Cut(err.Error(), "\n")
	default:
		mod.Close(ctx)
	}
	return res
}

// The corpus tests are single-threaded and compile large modules, which the
// race detector slows tenfold: make test runs them in a separate pass without
// -race (see the Makefile).

// TestCorpusGo runs the Go (GOOS=wasip1) guests with and without
// instrumentation: output and exit code must be identical.
func TestCorpusGo(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // a line the output must contain
	}{
		{"gohello", []string{"a", "b c"}, `args: ["a" "b c"]`},
		{"gowork", []string{"1"}, "primes below 200000: 17984, largest 199999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := fixture(t, tc.name)
			want := runWASI(t, orig, tc.args...)
			if !strings.Contains(want.stdout, tc.want) {
				t.Errorf("original output lacks %q:\n%s", tc.want, want.stdout)
			}
			for _, mode := range allModes {
				got := runWASI(t, instrumentMode(t, orig, mode), tc.args...)
				if got.stdout != want.stdout || got.stderr != want.stderr || got.exitCode != want.exitCode {
					t.Errorf("%s: instrumented run differs:\n got %+v\nwant %+v", mode, got, want)
				}
				if got.yields == 0 {
					t.Errorf("%s: instrumented guest never yielded", mode)
				}
			}
		})
	}
}

// TestCorpusTestdata instruments every module under the repository's
// testdata directory. WASI-only commands are run and compared like the Go
// guests; modules that import lunatic host functions are compiled, and their
// exported functions must be unchanged.
func TestCorpusTestdata(t *testing.T) {
	seen := map[[32]byte]bool{}
	var paths []string
	err := filepath.WalkDir(filepath.Join("..", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "target" {
			return filepath.SkipDir // cargo build output left by `make testdata`
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".wasm") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := newCompilerRuntime(ctx)
	defer r.Close(ctx)
	for _, p := range paths {
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(orig); seen[sum] {
			continue
		} else {
			seen[sum] = true
		}
		t.Run(p, func(t *testing.T) {
			origCM, err := r.CompileModule(ctx, orig)
			if err != nil {
				t.Skipf("not a module wazero compiles: %v", err)
			}
			for _, mode := range allModes {
				inst := instrumentMode(t, orig, mode)
				instCM, err := r.CompileModule(ctx, inst)
				if err != nil {
					t.Fatalf("%s: instrumented module does not compile: %v", mode, err)
				}
				if a, b := exportSignatures(origCM), exportSignatures(instCM); !slices.Equal(a, b) {
					t.Errorf("%s: exports differ:\n got %v\nwant %v", mode, b, a)
				}
				if onlyWASI(origCM) && origCM.ExportedFunctions()["_start"] != nil {
					t.Logf("%s: WASI command: comparing runs", mode)
					want, got := runWASI(t, orig), runWASI(t, inst)
					if want.yields = got.yields; got != want {
						t.Errorf("%s: instrumented run differs:\n got %+v\nwant %+v", mode, got, want)
					}
				}
			}
		})
	}
}

func exportSignatures(cm wazero.CompiledModule) []string {
	var out []string
	for name, def := range cm.ExportedFunctions() {
		out = append(out, name+"="+def.Name()+api.ValueTypeName(0)+sig(def))
	}
	slices.Sort(out)
	return out
}

func sig(def api.FunctionDefinition) string {
	var b strings.Builder
	for _, p := range def.ParamTypes() {
		b.WriteString(api.ValueTypeName(p))
	}
	b.WriteString("->")
	for _, p := range def.ResultTypes() {
		b.WriteString(api.ValueTypeName(p))
	}
	return b.String()
}

func onlyWASI(cm wazero.CompiledModule) bool {
	for _, def := range cm.ImportedFunctions() {
		if mod, _, _ := def.Import(); mod != wasi_snapshot_preview1.ModuleName {
			return false
		}
	}
	return true
}
