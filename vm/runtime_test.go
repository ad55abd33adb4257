package vm

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"
)

// hostFuncs are the Go functions behind the "test" host module of testdata/hostblock.wat;
// nil ones do nothing.
type hostFuncs struct {
	block, start func(ctx context.Context)
}

// newHostRuntime returns a runtime with the "test" host module and hostblock.wasm
// compiled. The runtime is closed when the test ends unless the test closed it.
func newHostRuntime(t *testing.T, h *hostFuncs) (*Runtime, *Module) {
	t.Helper()
	ctx := context.Background()
	rt, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	call := func(f *func(context.Context)) api.GoModuleFunc {
		return func(ctx context.Context, _ api.Module, _ []uint64) {
			if *f != nil {
				(*f)(ctx)
			}
		}
	}
	_, err = rt.Wazero().NewHostModuleBuilder("test").
		NewFunctionBuilder().WithGoModuleFunction(call(&h.block), nil, nil).Export("block").
		NewFunctionBuilder().WithGoModuleFunction(call(&h.start), nil, nil).Export("start").
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile("testdata/hostblock.wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, "hostblock", wasm)
	if err != nil {
		t.Fatal(err)
	}
	return rt, mod
}

// TestSpawnCancelledContext: a spawn whose context has already ended creates nothing.
func TestSpawnCancelledContext(t *testing.T) {
	rt, mod := newHostRuntime(t, &hostFuncs{})
	env := rt.NewEnvironment(1)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(ErrKilled)
	if p, err := env.Spawn(ctx, SpawnOptions{Module: mod, Entry: "noop"}); !errors.Is(err, ErrKilled) {
		t.Fatalf("Spawn = %v, %v; want the context's cause", p, err)
	}
	if n := env.Count(); n != 0 {
		t.Fatalf("%d processes in the environment", n)
	}
}

// TestSpawnContextEndsStartSection: ending the spawn's context while the module's start
// section runs ends the instantiation; no process is created.
func TestSpawnContextEndsStartSection(t *testing.T) {
	started := make(chan struct{})
	h := &hostFuncs{start: func(ctx context.Context) {
		close(started)
		<-ctx.Done() // a kill-aware blocking call, as receive or sleep
	}}
	rt, mod := newHostRuntime(t, h)
	env := rt.NewEnvironment(1)
	ctx, cancel := context.WithCancelCause(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := env.Spawn(ctx, SpawnOptions{Module: mod, Entry: "noop"})
		errc <- err
	}()
	<-started
	cancel(errSpawnCancelled)
	if err := await(t, errc, "the spawn"); !errors.Is(err, errSpawnCancelled) {
		t.Fatalf("Spawn error %v, want the context's cause", err)
	}
	if n := env.Count(); n != 0 {
		t.Fatalf("%d processes in the environment", n)
	}
}

var errSpawnCancelled = errors.New("spawn cancelled by the test")

// TestCloseAbandonsStuckProcess: a process that a kill cannot reach keeps Close waiting
// until its context ends; Close then reports the abandoned process. Once the process has
// ended, a second Close releases the runtime.
func TestCloseAbandonsStuckProcess(t *testing.T) {
	blocked, release := make(chan struct{}), make(chan struct{})
	h := &hostFuncs{block: func(context.Context) {
		close(blocked)
		<-release // ignores the kill, like a blocking WASI read
	}}
	rt, mod := newHostRuntime(t, h)
	p, err := rt.NewEnvironment(1).Spawn(context.Background(), SpawnOptions{Module: mod, Entry: "run"})
	if err != nil {
		t.Fatal(err)
	}
	<-blocked
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = rt.Close(ctx)
	if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "abandoned 1 process") {
		t.Fatalf("Close = %v, want an error reporting one abandoned process", err)
	}
	close(release)
	await(t, p.Done(), "the released process")
	if err := rt.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestCloseStopsTimers: Close stops every pending timer, running its drop function and
// never its fire function; a timer started on a closed runtime is dropped at once.
func TestCloseStopsTimers(t *testing.T) {
	rt, _ := newHostRuntime(t, &hostFuncs{})
	var fired, dropped atomic.Int32
	for range 100 {
		rt.AfterFunc(time.Hour, func() { fired.Add(1) }, func() { dropped.Add(1) })
	}
	if err := rt.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fired.Load() != 0 || dropped.Load() != 100 {
		t.Fatalf("after Close: %d fired, %d dropped; want 0, 100", fired.Load(), dropped.Load())
	}
	rt.AfterFunc(time.Nanosecond, func() { fired.Add(1) }, func() { dropped.Add(1) })
	if fired.Load() != 0 || dropped.Load() != 101 {
		t.Fatalf("a timer started after Close was not dropped at once")
	}
}

// TestTimerRunsOneFunction: a timer runs fire when it is due, and a Stop after that
// reports false and drops nothing; a Stop before runs drop and reports true.
func TestTimerRunsOneFunction(t *testing.T) {
	rt, _ := newHostRuntime(t, &hostFuncs{})
	fired := make(chan struct{})
	var dropped atomic.Int32
	tm := rt.AfterFunc(time.Nanosecond, func() { close(fired) }, func() { dropped.Add(1) })
	await(t, fired, "the timer")
	if tm.Stop() || dropped.Load() != 0 {
		t.Fatal("Stop of a fired timer reported success or dropped it")
	}
	tm = rt.AfterFunc(time.Hour, func() { t.Error("a stopped timer fired") }, func() { dropped.Add(1) })
	if !tm.Stop() || dropped.Load() != 1 {
		t.Fatal("Stop of a pending timer did not drop it")
	}
	if tm.Stop() || dropped.Load() != 1 {
		t.Fatal("a second Stop dropped again")
	}
}
