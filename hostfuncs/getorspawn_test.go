package hostfuncs_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// hangGuard bounds the wait for a process that a regression would leave blocked forever.
const hangGuard = 30 * time.Second

// runBounded runs entry of mod as a root process and returns how it ended; a process
// still running after hangGuard fails the test (and is killed) instead of hanging it.
func runBounded(t *testing.T, rt *vm.Runtime, mod *vm.Module, entry string) error {
	t.Helper()
	env := rt.NewEnvironment(1)
	var out hostfuncstest.Buffer
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: entry,
		Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &out,
	})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	select {
	case <-p.Done():
		return p.Death()
	case <-time.After(hangGuard):
		p.Kill(vm.ErrKilled)
		t.Fatalf("%s still running after %v: get_or_spawn is stuck", entry, hangGuard)
		return nil
	}
}

// TestGetOrSpawnStartSectionUsesRegistry: the child of a get_or_spawn runs its start
// section while the name is being registered; a registry call there must not wait for
// the registration (it used to deadlock on the registry lock the spawn held).
func TestGetOrSpawnStartSectionUsesRegistry(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/start_registry.wasm")
	if err := runBounded(t, rt, mod, "main"); err != nil {
		t.Fatalf("main: %v", err)
	}
}

// TestGetOrSpawnFromStartSectionOfPendingName: a start section that asks get_or_spawn for
// the name its own parent is spawning it under cannot wait for that spawn (it is part of
// it); it traps, the parent's spawn fails and the name stays free.
func TestGetOrSpawnFromStartSectionOfPendingName(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/start_registry.wasm")
	if err := runBounded(t, rt, mod, "nested"); err != nil {
		t.Fatalf("nested: %v", err)
	}
}

// TestKillReleasesGetOrSpawnReservation: killing a process whose get_or_spawn is waiting
// for its child's start section frees the name; another get_or_spawn of it, waiting or
// arriving later, then spawns its own process.
func TestKillReleasesGetOrSpawnReservation(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/start_registry.wasm")
	env := rt.NewEnvironment(1)
	out := &signalWriter{written: make(chan struct{})}
	spawn := func(entry string) *vm.Process {
		p, err := env.Spawn(context.Background(), vm.SpawnOptions{
			Module: mod, Config: permissions.Root(nil, nil, nil), Entry: entry,
			Stdin: bytes.NewReader(nil), Stdout: out, Stderr: out,
		})
		if err != nil {
			t.Fatalf("spawn %s: %v", entry, err)
		}
		return p
	}
	holder := spawn("holder")
	<-out.written // the holder's child is in its start section, the name reserved
	waiter := spawn("waiter")
	holder.Kill(vm.ErrKilled)
	for _, p := range []*vm.Process{holder, waiter} {
		select {
		case <-p.Done():
		case <-time.After(hangGuard):
			t.Fatalf("process %d (%s) still running after %v", p.ID(), p.Entry(), hangGuard)
		}
	}
	if !errors.Is(holder.Death(), vm.ErrKilled) {
		t.Fatalf("holder: death %v, want the kill", holder.Death())
	}
	if err := waiter.Death(); err != nil {
		t.Fatalf("waiter: %v", err)
	}
}
