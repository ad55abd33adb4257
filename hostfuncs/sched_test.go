package hostfuncs_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

func spawnEntry(t *testing.T, env *vm.Environment, mod *vm.Module, cfg *permissions.ProcessConfig, entry string, types []api.ValueType, params ...uint64) *vm.Process {
	t.Helper()
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{Module: mod, Config: cfg, Entry: entry, ParamTypes: types, Params: params})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	return p
}

func waitDone(t *testing.T, p *vm.Process, what string) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatalf("%s did not end within a minute", what)
	}
}

// TestSpinnerDoesNotStarveOthers runs with one Go thread: a process spinning in a loop
// must not stop a ping-pong pair nor garbage collection, and kill must end it.
func TestSpinnerDoesNotStarveOthers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	env := rt.NewEnvironment(1)
	cfg := permissions.Root(nil, nil, nil)
	spinner := spawnEntry(t, env, mod, cfg, "spin", nil)
	pong := spawnEntry(t, env, mod, cfg, "pong", nil)
	ping := spawnEntry(t, env, mod, cfg, "ping", []api.ValueType{api.ValueTypeI32, api.ValueTypeI64}, 2000, pong.ID())

	gcDone := make(chan struct{})
	go func() { runtime.GC(); close(gcDone) }()
	select {
	case <-gcDone:
	case <-time.After(time.Minute):
		t.Fatal("garbage collection did not complete while a process spins")
	}
	waitDone(t, ping, "ping (2000 round trips)")
	if ping.Death() != nil {
		t.Fatalf("ping failed: %v", ping.Death())
	}
	if spinner.FuelUsed() == 0 {
		t.Fatal("the spinner was never charged fuel")
	}
	spinner.Kill(vm.ErrKilled)
	waitDone(t, spinner, "killed spinner")
	if !errors.Is(spinner.Death(), vm.ErrKilled) {
		t.Fatalf("spinner death = %v, want killed", spinner.Death())
	}
	pong.Kill(vm.ErrKilled)
	waitDone(t, pong, "pong")
}

// TestMaxFuelTraps checks that a spinning process with max_fuel 1 runs out of fuel.
func TestMaxFuelTraps(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/sched.wasm")
	cfg := permissions.New()
	cfg.MaxFuel = 1
	res := hostfuncstest.RunConfig(t, rt, mod, "spin", cfg)
	if !errors.Is(res.Death, vm.ErrOutOfFuel) {
		t.Fatalf("death = %v, want out of fuel", res.Death)
	}
}
