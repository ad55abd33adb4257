package hostfuncs_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// TestKillEndsWASISleep checks that a process sleeping in WASI poll_oneoff (Rust's
// std::thread::sleep) is ended by kill at once, and that a short WASI sleep still works.
func TestKillEndsWASISleep(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/wasisleep.wasm")
	if res := hostfuncstest.Run(t, rt, mod, "sleep_short"); res.Death != nil {
		t.Fatalf("short WASI sleep: %v", res.Death)
	}
	env := rt.NewEnvironment(1)
	p := spawnEntry(t, env, mod, permissions.Root(nil, nil, nil), "sleep_hour", nil)
	for p.State() != vm.StateSleeping {
		select {
		case <-p.Done():
			t.Fatalf("ended before sleeping: %v", p.Death())
		default:
		}
		runtime.Gosched()
	}
	p.Kill(vm.ErrKilled)
	waitDone(t, p, "process killed in a WASI sleep")
	if !errors.Is(p.Death(), vm.ErrKilled) {
		t.Fatalf("death = %v, want killed", p.Death())
	}
}
