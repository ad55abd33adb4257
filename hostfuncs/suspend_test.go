package hostfuncs_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// suspendModes runs f with receive suspending the process (the default) and with
// suspension off (LUNATIC_SUSPEND=0, a goroutine blocked under each waiting process):
// both must behave the same.
func suspendModes(t *testing.T, f func(t *testing.T, rt *vm.Runtime, mod *vm.Module)) {
	for _, mode := range []struct{ name, env string }{{"suspend", ""}, {"nosuspend", "0"}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Setenv("LUNATIC_SUSPEND", mode.env)
			rt := hostfuncstest.New(t)
			f(t, rt, hostfuncstest.Load(t, rt, "testdata/suspend.wasm"))
		})
	}
}

// awaitState waits until p is in state s (the receive has parked), failing if it ends.
func awaitState(t *testing.T, p *vm.Process, s vm.State) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for p.State() != s {
		select {
		case <-p.Done():
			t.Fatalf("process %d ended (%v) before reaching state %v", p.ID(), p.Death(), s)
		case <-time.After(50 * time.Microsecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d not %v within a minute", p.ID(), s)
		}
	}
}

// wantExit waits for p to end with exit code code.
func wantExit(t *testing.T, p *vm.Process, code uint32) {
	t.Helper()
	waitDone(t, p, "process")
	var exit *vm.ExitError
	if !errors.As(p.Death(), &exit) || exit.Code != code {
		t.Fatalf("process %d death = %v, want exit code %d", p.ID(), p.Death(), code)
	}
}

var i64s = func(n int) []api.ValueType {
	ts := make([]api.ValueType, n)
	for i := range ts {
		ts[i] = api.ValueTypeI64
	}
	return ts
}

func TestSuspendedReceiverGetsMessage(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		// From the host.
		p := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
		awaitState(t, p, vm.StateWaiting)
		env.Send(p.ID(), vm.NewDataMessage(42, 0))
		wantExit(t, p, 42)
		// From another process (the waker's worker may run it next).
		q := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
		awaitState(t, q, vm.StateWaiting)
		s := spawnEntry(t, env, mod, cfg, "send_to", i64s(2), q.ID(), 43)
		wantExit(t, q, 43)
		waitDone(t, s, "sender")
		// A chain of processes, each woken by the previous one.
		const n = 50
		last := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
		next := last
		for range n {
			next = spawnEntry(t, env, mod, cfg, "relay", i64s(1), next.ID())
		}
		awaitState(t, next, vm.StateWaiting)
		env.Send(next.ID(), vm.NewDataMessage(100, 0))
		wantExit(t, last, 100+n)
		// In a nested guest call (trap::catch) the receive cannot suspend: it waits
		// on the worker's goroutine, and still gets its message.
		c := spawnEntry(t, env, mod, cfg, "recv_in_catch", nil)
		awaitState(t, c, vm.StateWaiting)
		env.Send(c.ID(), vm.NewDataMessage(44, 0))
		wantExit(t, c, 44)
	})
}

// TestSuspendedSendReceive: send_receive_skip_search suspends too, skips the messages
// queued before it, and gets the reply.
func TestSuspendedSendReceive(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		for range 20 {
			server := spawnEntry(t, env, mod, cfg, "server", nil)
			req := spawnEntry(t, env, mod, cfg, "request", i64s(1), server.ID())
			wantExit(t, req, 8)
			waitDone(t, server, "server")
		}
	})
}

// TestWokenProcessDoesNotWaitForItsWaker: a process woken by one that then computes
// for ever runs anyway (the waker's worker does not keep it), even on one thread.
func TestWokenProcessDoesNotWaitForItsWaker(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		for i := range 5 {
			b := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
			awaitState(t, b, vm.StateWaiting)
			a := spawnEntry(t, env, mod, cfg, "send_then_spin", i64s(2), b.ID(), uint64(60+i))
			wantExit(t, b, uint32(60+i))
			a.Kill(vm.ErrKilled)
			waitDone(t, a, "spinning waker")
		}
	})
}

// TestWokenProcessDoesNotWaitForABlockedWaker: a process woken by one that then blocks
// in a host call that does not report blocking (a WASI read of stdin with no input yet)
// still runs: the slot watchdog moves it from its waker's next slot to the queue.
func TestWokenProcessDoesNotWaitForABlockedWaker(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		b := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
		awaitState(t, b, vm.StateWaiting)
		stdin, input := io.Pipe()
		a, err := env.Spawn(context.Background(), vm.SpawnOptions{
			Module: mod, Config: cfg, Entry: "send_then_read_stdin",
			ParamTypes: i64s(2), Params: []uint64{b.ID(), 77}, Stdin: stdin,
		})
		if err != nil {
			t.Fatalf("spawn: %v", err)
		}
		wantExit(t, b, 77) // before any input reaches a
		if _, err := input.Write([]byte("hi")); err != nil {
			t.Fatal(err)
		}
		wantExit(t, a, 2)
	})
}

func TestSuspendedSelectiveReceive(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		p := spawnEntry(t, env, mod, permissions.Root(nil, nil, nil), "recv_tagged", nil)
		awaitState(t, p, vm.StateWaiting)
		env.Send(p.ID(), vm.NewDataMessage(3, 0)) // no match: queued, the receive waits on
		if n := p.MailboxLen(); n != 1 || p.State() != vm.StateWaiting {
			t.Fatalf("after a message that does not match: %d queued, state %v; want 1, waiting", n, p.State())
		}
		env.Send(p.ID(), vm.NewDataMessage(7, 0))
		wantExit(t, p, 7)
	})
}

func TestSuspendedReceiveTimeout(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		start := time.Now()
		p := spawnEntry(t, env, mod, cfg, "recv_timeout", i64s(1), 30)
		wantExit(t, p, 1) // the timeout code
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Fatalf("the receive timed out after %v, before its 30 ms", d)
		}
		// A message before the deadline: the receive completes, and the timer of that
		// receive does not disturb anything after.
		q := spawnEntry(t, env, mod, cfg, "recv_timeout", i64s(1), 60_000)
		awaitState(t, q, vm.StateWaiting)
		env.Send(q.ID(), vm.NewDataMessage(5, 0))
		wantExit(t, q, 5)
		// Many timed receives at once, all ending by timeout.
		ps := make([]*vm.Process, 200)
		for i := range ps {
			ps[i] = spawnEntry(t, env, mod, cfg, "recv_timeout", i64s(1), uint64(1+i%20))
		}
		for _, p := range ps {
			wantExit(t, p, 1)
		}
	})
}

func TestKillSuspended(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		p := spawnEntry(t, env, mod, cfg, "idle", nil)
		awaitState(t, p, vm.StateWaiting)
		p.Kill(vm.ErrKilled)
		waitDone(t, p, "killed process")
		if !errors.Is(p.Death(), vm.ErrKilled) {
			t.Fatalf("death = %v, want killed", p.Death())
		}
		// A message and a kill racing: the process ends killed either way, and the
		// message is not lost to accounting (the process's memory is released).
		for range 100 {
			q := spawnEntry(t, env, mod, cfg, "idle", nil)
			awaitState(t, q, vm.StateWaiting)
			env.Send(q.ID(), vm.NewDataMessage(1, 0))
			q.Kill(vm.ErrKilled)
			waitDone(t, q, "killed process")
			if !errors.Is(q.Death(), vm.ErrKilled) {
				t.Fatalf("death = %v, want killed", q.Death())
			}
		}
	})
}

func TestLinkDeathOfSuspended(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		a := spawnEntry(t, env, mod, cfg, "idle", nil)
		b := spawnEntry(t, env, mod, cfg, "idle", nil)
		c := spawnEntry(t, env, mod, cfg, "catch_links", nil)
		awaitState(t, b, vm.StateWaiting)
		awaitState(t, c, vm.StateWaiting)
		b.Link(1, a.ID())
		c.Link(2, a.ID())
		a.Kill(vm.ErrKilled)
		waitDone(t, b, "linked process")
		var ld *vm.LinkDiedError
		if !errors.As(b.Death(), &ld) || ld.Peer != a.ID() {
			t.Fatalf("linked process death = %v, want a link death from %d", b.Death(), a.ID())
		}
		wantExit(t, c, 200+uint32(vm.KindLinkDied))
	})
}

// TestSuspendedProcessesHoldNoGoroutine parks many processes in receive, checks that they
// hold no goroutine each, then ends them all with a link cascade.
func TestSuspendedProcessesHoldNoGoroutine(t *testing.T) {
	n := 100_000
	if raceEnabled || testing.Short() {
		n = 10_000
	}
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/suspend.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.Root(nil, nil, nil)
	root := spawnEntry(t, env, mod, cfg, "idle", nil)
	procs := make([]*vm.Process, n)
	for i := range procs {
		procs[i] = spawnEntry(t, env, mod, cfg, "idle", nil)
		procs[i].Link(1, root.ID())
	}
	for _, p := range procs {
		awaitState(t, p, vm.StateWaiting)
	}
	if g := runtime.NumGoroutine(); g > n/20 {
		t.Fatalf("%d goroutines for %d processes waiting in receive", g, n)
	}
	root.Kill(vm.ErrKilled)
	for _, p := range procs {
		waitDone(t, p, "process of the cascade")
		var ld *vm.LinkDiedError
		if !errors.As(p.Death(), &ld) {
			t.Fatalf("death = %v, want a link death", p.Death())
		}
	}
	if g := runtime.NumGoroutine(); g > n/20 {
		t.Fatalf("%d goroutines after a cascade of %d processes", g, n)
	}
}

func TestCloseWithSuspendedProcesses(t *testing.T) {
	suspendModes(t, func(t *testing.T, rt *vm.Runtime, mod *vm.Module) {
		env := rt.NewEnvironment(1)
		cfg := permissions.Root(nil, nil, nil)
		procs := make([]*vm.Process, 100)
		for i := range procs {
			entry, types, params := "idle", []api.ValueType(nil), []uint64(nil)
			if i%2 == 1 {
				entry, types, params = "recv_timeout", i64s(1), []uint64{3_600_000}
			}
			procs[i] = spawnEntry(t, env, mod, cfg, entry, types, params...)
		}
		for _, p := range procs {
			awaitState(t, p, vm.StateWaiting)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := rt.Close(ctx); err != nil {
			t.Fatalf("close: %v", err)
		}
		for _, p := range procs {
			waitDone(t, p, "process at close")
			if p.Death() == nil {
				t.Fatalf("process %d ended normally at close", p.ID())
			}
		}
	})
}
