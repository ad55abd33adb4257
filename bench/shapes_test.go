package bench

import (
	"errors"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/vm"
)

// TestShapes runs every benchmark shape once at a small size, so that `go test` catches a
// guest or protocol that no longer works without running the benchmarks.
func TestShapes(t *testing.T) {
	g := newGuests(t)
	mods := []struct {
		name string
		mod  *vm.Module
	}{{"rust", g.rust}, {"wat", g.wat}}
	for _, m := range mods {
		t.Run(m.name, func(t *testing.T) {
			g.run(t, m.mod, "spawner", 20)
			g.run(t, m.mod, "noop")
			g.pingPong(t, m.mod, 20)
			idle := []*vm.Process{g.spawn(t, m.mod, "idle"), g.spawn(t, m.mod, "idle")}
			awaitWaiting(t, idle)
			killAll(idle)
			for _, p := range idle {
				if !errors.Is(p.Death(), vm.ErrKilled) {
					t.Errorf("idle process %d ended with %v, want a kill", p.ID(), p.Death())
				}
			}
		})
	}
	t.Run("ring", func(t *testing.T) {
		procs := g.ring(t, g.rust, 10)
		g.sendU64(procs[0].ID(), 95)
		for _, p := range procs {
			wait(t, p)
		}
	})
	t.Run("hostcalls", func(t *testing.T) { g.run(t, g.wat, "hostcalls", 100) })
	t.Run("go-ring", func(t *testing.T) {
		chans, done := goRing(10)
		chans[0] <- 95
		for range 10 {
			<-done
		}
	})
	t.Run("wazero-hostcalls", func(t *testing.T) {
		if _, err := emptyHostLoop(t).Call(t.Context(), 100); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSpawnerNeedsSpawnPermission checks that the spawn benchmark goes through
// lunatic::process::spawn: without the permission to spawn, the spawner must fail.
func TestSpawnerNeedsSpawnPermission(t *testing.T) {
	g := newGuests(t)
	g.cfg = g.cfg.Clone()
	g.cfg.CanSpawnProcesses = false
	for _, mod := range []*vm.Module{g.rust, g.wat} {
		p := g.spawn(t, mod, "spawner", 1)
		<-p.Done()
		if p.Death() == nil {
			t.Errorf("spawner without spawn permission ended normally; the benchmark would measure nothing")
		}
	}
}

// TestDebugGuest runs the debug-profile guest: its spawn entries, and exercise, which runs
// every generated codec, command and callback and checks how many worked, so the large
// program is real code (29 codecs round-trip with seeds 0..3, 160 commands and callbacks
// run; see rustdebug/gen.go). A wrong count must fail it.
func TestDebugGuest(t *testing.T) {
	g := newGuests(t)
	mod := hostfuncstest.Load(t, g.rt, rustDebugGuest)
	g.run(t, mod, "spawner", 5)
	for seed := range uint64(4) {
		g.run(t, mod, "exercise", seed, 29, 160)
	}
	p := g.spawn(t, mod, "exercise", 0, 29, 161)
	<-p.Done()
	if p.Death() == nil {
		t.Error("exercise expecting 161 calls ended normally; it checks nothing")
	}
}
