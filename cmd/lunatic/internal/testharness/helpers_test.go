package testharness

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// testmodeGuest is the path of a test binary in testdata/wasm/testmode, relative to this
// package.
func testmodeGuest(name string) string {
	return filepath.Join("..", "..", "..", "..", "testdata", "wasm", "testmode", name+".wasm")
}

// testmodeCache is a compilation cache shared by the tests of this file set, so that each
// guest is compiled once per machine rather than once per test.
var testmodeCache = sync.OnceValue(func() string {
	return filepath.Join(os.TempDir(), "lunatic-testmode-test-cache")
})

// baseTestEnv is the guest environment of test runs: fixed, so that no RUST_BACKTRACE or
// RUST_TEST_* of the machine running `go test` changes the output.
var baseTestEnv = []string{"PATH=/usr/bin", "HOME=/nonexistent"}

// tmRun is one test-mode run through the hook `lunatic run` calls.
type tmRun struct {
	Stdout, Stderr string
	Code           int
}

// harnessOptions are the Options `lunatic run` would pass for wasm with libtest args, the
// fixed base environment plus env, and the preopens "." and dirs.
func harnessOptions(wasm string, stdin io.Reader, stdout, stderr io.Writer, args, env []string, dirs ...permissions.Preopen) *Options {
	env = append(append([]string{}, baseTestEnv...), env...)
	var vars []permissions.EnvVar
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars = append(vars, permissions.EnvVar{Key: k, Value: v})
	}
	preopens := append([]permissions.Preopen{{Host: ".", Guest: "."}}, dirs...)
	return &Options{
		WasmPath:   wasm,
		Args:       args,
		Env:        env,
		Config:     permissions.Root(append([]string{filepath.Base(wasm)}, args...), vars, preopens),
		NewRuntime: newTestRuntime,
		Stdin:      stdin,
		Stdout:     stdout,
		Stderr:     stderr,
	}
}

// newTestRuntime is the runtime of `lunatic run` (every host module, fuel metering),
// with the shared compilation cache and no log output.
func newTestRuntime(ctx context.Context) (*vm.Runtime, error) {
	rt, err := vm.New(ctx, vm.Options{
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Instrument: scheduler.Instrument,
		CacheDir:   testmodeCache(),
	})
	if err != nil {
		return nil, err
	}
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		_ = rt.Close(ctx)
		return nil, err
	}
	return rt, nil
}

// runTestModeHook runs wasm with libtest args through Run (the hook `lunatic run` calls)
// and fails the test if the harness did not handle it.
func runTestModeHook(t *testing.T, wasm string, args []string, env []string, dirs ...permissions.Preopen) tmRun {
	t.Helper()
	var out, errb bytes.Buffer
	opts := harnessOptions(wasm, strings.NewReader(""), &out, &errb, args, env, dirs...)
	handled, code := Run(context.Background(), opts)
	if !handled {
		t.Fatalf("test mode did not handle %s", wasm)
	}
	return tmRun{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

var finishedRe = regexp.MustCompile(`finished in \d+\.\d\ds`)

// normalizeTime replaces the run's duration with 0.00s.
func normalizeTime(s string) string {
	return finishedRe.ReplaceAllString(s, "finished in 0.00s")
}

// parsedRun is a pretty-format report split into its parts, so that runs whose result
// lines come in completion order can be compared exactly.
type parsedRun struct {
	Header   string            // "\nrunning N tests\n"
	Results  []string          // "test … ... ok" lines, sorted
	Sections map[string]string // test name → its "---- NAME stdout ----" content
	Kind     string            // "failures" or "successes" (last block seen)
	Listed   []string          // names listed at the end of the last block
	Summary  string            // the "test result: …" line, time normalised
}

var sectionRe = regexp.MustCompile(`(?m)^---- (.+) stdout ----$`)

// parseRun splits a pretty report. Blocks are "\n<kind>:\n" … "\n<kind>:\n" + names.
func parseRun(t *testing.T, out string) parsedRun {
	t.Helper()
	var pr parsedRun
	pr.Sections = map[string]string{}
	out = normalizeTime(out)
	head, rest, ok := strings.Cut(out, "\n\n")
	if !ok {
		t.Fatalf("report has no blank line after the results:\n%s", out)
	}
	lines := strings.Split(head, "\n")
	if len(lines) < 2 || lines[0] != "" {
		t.Fatalf("report does not start with an empty line and the running line:\n%s", out)
	}
	pr.Header = "\n" + lines[1] + "\n"
	pr.Results = append([]string{}, lines[2:]...)
	sort.Strings(pr.Results)
	i := strings.LastIndex(rest, "\ntest result: ")
	if i < 0 {
		t.Fatalf("no test result line:\n%s", out)
	}
	pr.Summary = strings.TrimSuffix(rest[i+1:], "\n\n")
	blocks := rest[:i]
	for _, kind := range []string{"successes", "failures"} {
		blocks = pr.takeBlock(t, blocks, kind)
	}
	return pr
}

// takeBlock removes the block of the given kind from text, recording its sections.
func (pr *parsedRun) takeBlock(t *testing.T, text, kind string) string {
	t.Helper()
	open := kind + ":\n"
	start := strings.Index(text, open)
	if start < 0 {
		return text
	}
	body := text[start+len(open):]
	end := strings.LastIndex(body, "\n"+open)
	if end < 0 {
		t.Fatalf("%s block is not closed:\n%s", kind, text)
	}
	names := body[end+1+len(open):]
	if next := strings.Index(names, "\n\n"); next >= 0 {
		names = names[:next+1]
	}
	pr.Kind = kind
	pr.Listed = nil
	for _, n := range strings.Split(strings.TrimSuffix(names, "\n"), "\n") {
		pr.Listed = append(pr.Listed, strings.TrimPrefix(n, "    "))
	}
	sections := strings.TrimPrefix(body[:end], "\n")
	locs := sectionRe.FindAllStringSubmatchIndex(sections, -1)
	for k, m := range locs {
		stop := len(sections)
		if k+1 < len(locs) {
			stop = locs[k+1][0]
		}
		pr.Sections[kind+"/"+sections[m[2]:m[3]]] = strings.TrimSuffix(sections[m[1]+1:stop], "\n")
	}
	return text[:start] + text[start+len(open)+end+1+len(open)+len(names):]
}

// resultLines builds the sorted result lines of a pretty report.
func resultLines(lines ...string) []string {
	out := append([]string{}, lines...)
	sort.Strings(out)
	return out
}

func equal[T any](t *testing.T, name string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", name, got, want)
	}
}
