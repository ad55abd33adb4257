// Package hostfuncstest builds runtimes with every host module for tests and runs guest
// processes to completion.
package hostfuncstest

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// Instrument and InstrumentExact are the module rewriters used by New (preemption, as
// `lunatic run` does it, and exact fuel metering for processes with max_fuel); nil
// leaves modules as they are.
var (
	Instrument      = vm.PreemptInstrumentation()
	InstrumentExact = scheduler.InstrumentExact
)

// New returns a runtime with every host module, closed when the test ends.
func New(t testing.TB) *vm.Runtime {
	t.Helper()
	return NewWith(t, vm.Options{Instrument: Instrument, InstrumentExact: InstrumentExact})
}

// NewWith is New with the runtime options given (another instrumentation, for example).
func NewWith(t testing.TB, opts vm.Options) *vm.Runtime {
	t.Helper()
	ctx := context.Background()
	rt, err := vm.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A process stuck where a kill cannot reach it is abandoned after a while.
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	return rt
}

// Load compiles the module at path.
func Load(t testing.TB, rt *vm.Runtime, path string) *vm.Module {
	t.Helper()
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := rt.Compile(context.Background(), path, wasm)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return m
}

// Buffer is a goroutine-safe output sink.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Result is how a process ended and what it printed.
type Result struct {
	Death          error
	Stdout, Stderr string
}

// Run spawns entry of mod as the root process of a fresh environment with the root
// config (plus args) and waits for it to end. A guard of one minute fails the test
// instead of hanging it.
func Run(t testing.TB, rt *vm.Runtime, mod *vm.Module, entry string, args ...string) Result {
	t.Helper()
	cfg := permissions.Root(append([]string{"guest"}, args...), nil, nil)
	return RunConfig(t, rt, mod, entry, cfg)
}

// RunConfig is Run with an explicit config.
func RunConfig(t testing.TB, rt *vm.Runtime, mod *vm.Module, entry string, cfg *permissions.ProcessConfig) Result {
	t.Helper()
	var out, errOut Buffer
	env := rt.NewEnvironment(1)
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: cfg, Entry: entry,
		Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
	})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	limit := guardTime(t)
	select {
	case <-p.Done():
	case <-time.After(limit):
		t.Fatalf("process %s did not end within %v; stdout so far:\n%s", entry, limit, out.String())
	}
	return Result{Death: p.Death(), Stdout: out.String(), Stderr: errOut.String()}
}

// guardTime is how long RunConfig waits for a guest before failing: until shortly before
// the test binary's deadline (so a hang fails with the guest's output instead of a bare
// timeout panic), at most 5 minutes. A busy machine under -race can make a heavy guest
// take minutes; the guard is there to catch hangs, not to time the guest.
func guardTime(t testing.TB) time.Duration {
	const most = 5 * time.Minute
	d, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return most
	}
	end, has := d.Deadline()
	if !has {
		return most
	}
	left := time.Until(end) - 30*time.Second
	if left < 10*time.Second {
		left = 10 * time.Second
	}
	return min(left, most)
}
