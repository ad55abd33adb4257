package hostfuncs_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// TestInlineRunsWokenProcess: a process that a vm.Inline's Send wakes runs on the
// goroutine that calls Run, to its end here, before Run returns; a message that wakes
// nothing leaves nothing to run; of two woken processes the later runs inline and the
// earlier on a worker.
func TestInlineRunsWokenProcess(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/suspend.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.Root(nil, nil, nil)
	in := rt.NewInline(func() {})

	p := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
	awaitState(t, p, vm.StateWaiting)
	in.Send(env, p.ID(), vm.NewDataMessage(42, 0))
	if !in.Pending() {
		t.Fatal("no process pending after a Send that woke one")
	}
	if !in.Run() {
		t.Fatal("Run found no process")
	}
	endedAlready(t, p, "Run returned before the process it ran ended")
	wantExit(t, p, 42)

	in.Send(env, 1<<40, vm.NewDataMessage(1, 0)) // no such process
	if in.Pending() || in.Run() {
		t.Fatal("a Send to no process left something to run")
	}

	a := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
	b := spawnEntry(t, env, mod, cfg, "recv_exit", nil)
	awaitState(t, a, vm.StateWaiting)
	awaitState(t, b, vm.StateWaiting)
	in.Send(env, a.ID(), vm.NewDataMessage(1, 0))
	in.Send(env, b.ID(), vm.NewDataMessage(2, 0))
	if !in.Run() {
		t.Fatal("Run found no process")
	}
	endedAlready(t, b, "the later woken process did not run inline")
	wantExit(t, a, 1) // on a worker
	wantExit(t, b, 2)
}

// TestInlineReleasesALongRun: a run that blocks in a host call (reported or not) or
// computes calls stuck while it goes on, so the owner can hand its work over.
func TestInlineReleasesALongRun(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/suspend.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.Root(nil, nil, nil)
	for _, tc := range []struct {
		entry, how string
		stdin      bool
	}{
		{"recv_then_sleep", "blocks in a host call that reports it", false},
		{"recv_then_spin", "computes", false},
		{"recv_then_read_stdin", "blocks in a host call that does not report it (the watchdog)", true},
	} {
		t.Run(tc.entry, func(t *testing.T) {
			opts := vm.SpawnOptions{Module: mod, Config: cfg, Entry: tc.entry}
			var input *io.PipeWriter
			if tc.stdin {
				var stdin *io.PipeReader
				stdin, input = io.Pipe()
				opts.Stdin = stdin
			}
			p, err := env.Spawn(context.Background(), opts)
			if err != nil {
				t.Fatalf("spawn: %v", err)
			}
			awaitState(t, p, vm.StateWaiting)
			stuck := make(chan struct{}, 4)
			in := rt.NewInline(func() { stuck <- struct{}{} })
			in.Send(env, p.ID(), vm.NewDataMessage(1, 0))
			ran := make(chan bool)
			go func() { ran <- in.Run() }()
			select {
			case <-stuck:
			case <-time.After(time.Minute):
				t.Fatalf("a run that %s did not call stuck within a minute", tc.how)
			}
			if input != nil {
				if _, err := input.Write([]byte("hello")); err != nil {
					t.Fatal(err)
				}
			} else {
				p.Kill(vm.ErrKilled)
			}
			if !<-ran {
				t.Fatal("Run found no process")
			}
			if input != nil {
				wantExit(t, p, 5)
			}
			waitDone(t, p, tc.entry)
			if n := len(stuck); n != 0 {
				t.Fatalf("stuck called %d more times in the same run", n)
			}
		})
	}
}

// endedAlready fails the test with msg unless p has ended by now.
func endedAlready(t *testing.T, p *vm.Process, msg string) {
	t.Helper()
	select {
	case <-p.Done():
	default:
		t.Fatal(msg)
	}
}
